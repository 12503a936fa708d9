/**
 * Garbage in, text out: events of every code (known or not) with parameters of random bytes and lengths
 * (including empty, truncated and oversized values, strings without NUL, forged event lengths) must render
 * without throwing, and every renderer must return text or undefined.
 */
import { describe, expect, it } from 'vitest'
import { renderEvtArgs, evtArg, evtTypeName } from '../../src-main/engine/format/evt-info'
import {
  evtBuffer,
  evtBuflen,
  evtCategory,
  evtFailed,
  evtRawArg,
  evtRawRes,
  evtRes
} from '../../src-main/engine/format/evt-fields'
import { evtAbspath, evtIsOpen } from '../../src-main/engine/format/evt-paths'
import { EMPTY_CONTEXT } from '../../src-main/engine/format/render-context'
import { fixedContext, makeEvent } from './make-event'

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ctx = fixedContext({
  fds: { 0: { type: 1, l4proto: 0, name: '/x\x00y' }, 3: { type: 3, l4proto: 9, name: '' } },
  comms: { 0: '', 1: '\u0000' },
  cwd: '/c\x01/',
  users: { 0: 'r\x1b' }
})

describe('hostile parameters', () => {
  it('never throws, always yields text', () => {
    const r = rng(7)
    let chars = 0
    for (let n = 0; n < 4000; n++) {
      const code = Math.floor(r() * 460)
      const nparams = Math.floor(r() * 12)
      const params: Buffer[] = []
      for (let i = 0; i < nparams; i++) {
        const len = [0, 1, 2, 3, 4, 7, 8, 9, 13, 19, 37, 90][Math.floor(r() * 12)] ?? 0
        params.push(Buffer.from(Array.from({ length: len }, () => (r() < 0.3 ? 0 : Math.floor(r() * 256)))))
      }
      const ev = makeEvent(code < 454 ? code : 3, params, { tid: n })
      if (r() < 0.2) ev.len = 1 << 30 // forged event length
      for (const c of [ctx, EMPTY_CONTEXT]) {
        const s = renderEvtArgs(ev, c)
        expect(typeof s).toBe('string')
        chars += s.length
        for (let i = 0; i < nparams + 1; i++) {
          const a = evtArg(ev, i, c)
          expect(a === undefined || typeof a === 'string').toBe(true)
        }
        for (const v of [evtAbspath(ev, c), evtAbspath(ev, c, 'dst')])
          expect(v === undefined || typeof v === 'string').toBe(true)
      }
      for (const v of [
        evtTypeName(ev),
        evtRes(ev),
        evtRawRes(ev),
        evtFailed(ev),
        evtBuffer(ev),
        evtBuflen(ev, 1),
        evtCategory(ev, 3),
        evtRawArg(ev, 'fd'),
        evtRawArg(ev, 'name'),
        evtIsOpen(ev, 'exec')
      ]) {
        expect(v === undefined || typeof v === 'string').toBe(true)
      }
    }
    expect(chars).toBeGreaterThan(10000)
  })
})
