/**
 * Every event type sysdig 0.29.3 knows, three times each, with seeded pseudo-random parameter values of the
 * right shape (edge integers, hostile strings, every socket family, valid and invalid dynamic indexes…),
 * rendered as `%evt.num %evt.type %evt.dir %evt.info` and compared with sysdig line by line. Each event runs
 * on its own unknown thread, so the lines depend on the parameters, not on process state.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as W from '../fixtures/scap-writer'
import { PT } from '../../src-main/engine/capture/schema/event-table.generated'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import {
  DYN_TABLES,
  EVENT_FLAGS_0293,
  EVENT_NAMES_0293,
  PARAM_RENDER_0293
} from '../../src-main/engine/format/flag-tables.generated'
import { hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

/** mulberry32: small deterministic PRNG. */
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

/** Metadata events whose JSON/text payloads sysdig parses (and rejects when random). */
const SKIP_NAMES = new Set([
  'container',
  'k8s',
  'mesos',
  'pluginevent',
  'tracer',
  'sysdigevent',
  'procinfo',
  'notification',
  'infra'
])
const EF_UNUSED = 64
const EF_CREATES_FD = 1
const EF_MODIFIES_STATE = 32
const STRINGS = [
  '',
  'x',
  '/etc/passwd',
  'rel/../a/./b',
  '<b>&"\'',
  'a\x01\t\x1bz',
  'caf\u00e9',
  '/',
  '<NA>',
  '..'
]

function paramFor(r: () => number, type: number, dyn: string | undefined): Buffer {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T
  const u32 = (): number =>
    pick([0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, Math.floor(r() * 4294967296)])
  const u64 = (): bigint =>
    pick([0n, 1n, 0xffffffffffffffffn, 1n << 63n, BigInt(Math.floor(r() * 2 ** 52)), 1500000000n])
  const i64 = (): bigint => pick([0n, -1n, -2n, -100n, -13n, -512n, 3n, 1n << 40n, -(1n << 63n)])
  switch (type) {
    case PT.INT8:
    case PT.UINT8:
    case PT.FLAGS8:
      return W.u8(pick([0, 1, 127, 128, 255, Math.floor(r() * 256)]))
    case PT.INT16:
    case PT.UINT16:
    case PT.FLAGS16:
      return W.u16(pick([0, 1, 0x7fff, 0x8000, 0xffff, Math.floor(r() * 65536)]))
    case PT.INT32:
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.MODE:
    case PT.SIGSET:
      return W.u32(u32())
    case PT.INT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      return W.i64(i64())
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return W.u64(u64())
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return W.str(pick(STRINGS))
    case PT.BYTEBUF: {
      const n = pick([1, 5, 79, 80, 81, 120])
      return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)))
    }
    case PT.SOCKADDR:
      return pick([
        W.sockaddr4('10.1.2.3', 8080),
        W.sockaddr6('fe80::1', 53),
        W.sockaddrUnix('/run/s\x01ock'),
        W.u8(16)
      ])
    case PT.SOCKTUPLE:
      return pick([
        W.tuple4('10.0.0.1', 1234, '10.0.0.2', 80),
        W.tuple6('::1', 1, '2001:db8::2', 2),
        W.tuple6('::ffff:1.2.3.4', 5, '::ffff:5.6.7.8', 6),
        W.tupleUnix(0xffff0000n, 1n, '/tmp/u'),
        W.u8(17)
      ])
    case PT.FDLIST: {
      const n = pick([0, 1, 3])
      const parts = [W.u16(n)]
      for (let k = 0; k < n; k++) parts.push(W.i64(pick([0n, 3n, -1n, 100n])), W.i16(pick([1, 4, 0x41, -1])))
      return Buffer.concat(parts)
    }
    case PT.SYSCALLID:
      return W.u16(pick([0, 5, 283, 292, 305, 328, 329]))
    case PT.SIGTYPE:
      return W.u8(pick([0, 9, 15, 31, 32, 64]))
    case PT.DYN: {
      const variants = dyn !== undefined ? (DYN_TABLES[dyn] ?? []) : []
      const idx = pick([0, 1, 2, 3, 4, 9].filter((i) => i < variants.length + 1))
      const t = variants[idx]?.[0]
      const inner = t === undefined ? W.u64(5n) : paramFor(r, t, undefined)
      return Buffer.concat([W.u8(idx), inner])
    }
    default:
      return W.u64(0n)
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'peregrine-allev-'))
const file = path.join(dir, 'all-events.scap')
let written = 0
{
  const r = rng(20220316)
  const w = new W.ScapWriter()
  w.shb({ major: 1, minor: 2 })
  w.mi({ cpus: 4, memory: 8 << 30, maxPid: 4194304, hostname: 'h', bootTs: 0n })
  let ts = 1_600_000_000_000_000_000n
  let tid = 700000
  const usable = (code: number): boolean => {
    const name = EVENT_NAMES_0293[code] ?? ''
    if (SKIP_NAMES.has(name) || name.startsWith('NA') || ((EVENT_FLAGS_0293[code] ?? 0) & EF_UNUSED) !== 0)
      return false
    const layout = PARAM_RENDER_0293[code] ?? []
    return !layout.some((p) => p[1] === PT.CHARBUFARRAY || p[1] === PT.CHARBUF_PAIR_ARRAY)
  }
  // Enter and exit of one syscall share a thread (sysdig 0.29.3 crashes on some exits without their enter);
  // every pair gets a fresh, unknown thread.
  for (let enter = 0; enter < PARAM_RENDER_0293.length; enter += 2) {
    for (let k = 0; k < 3; k++) {
      tid++
      for (const code of [enter, enter + 1]) {
        if (!usable(code)) continue
        const layout = PARAM_RENDER_0293[code] ?? []
        // sysdig 0.29.3 also crashes resolving a relative path against a negative dirfd of an unknown
        // thread (it tries /proc): dirfds of FSRELPATH params are AT_FDCWD or a large unknown fd.
        // (openat2's name points at itself in 0.29.3's table; only real FD params are forced.)
        const dirfds = new Set(
          layout
            .filter((p) => p[1] === PT.FSRELPATH)
            .map((p) => p[3])
            .filter((i) => typeof i === 'number' && layout[i]?.[1] === PT.FD)
        )
        // Exits of state-changing syscalls fail (negative first param), so that no thread or fd is made up
        // from random values and the lines depend on the parameters only.
        const failing =
          (code & 1) === 1 && ((EVENT_FLAGS_0293[code] ?? 0) & (EF_MODIFIES_STATE | EF_CREATES_FD)) !== 0
        const params = layout.map((p, i) =>
          dirfds.has(i)
            ? W.i64(k === 0 ? -100n : 1n << 40n)
            : failing && i === 0
              ? W.i64(k === 2 ? -9999n : -13n)
              : paramFor(r, p[1], typeof p[3] === 'string' ? p[3] : undefined)
        )
        ts += 1000n
        w.ev(code, { tid, ts, cpu: k, params })
        written++
      }
    }
  }
  w.writeFile(file)
}

describe.skipIf(!hasSysdig)('every 0.29.3 event type with odd parameters', () => {
  afterAll(() => {
    if (process.env.KEEP_SYNTH === undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('evt.info identical to sysdig', async () => {
    const theirs = sysdigLines(file, '*%evt.num %evt.type %evt.dir %evt.info')
    const ours = await ourLines(
      file,
      new Set(theirs.keys()),
      (ev, ctx) => `${String(ev.num)} ${evtTypeName(ev)} ${evtDir(ev)} ${renderEvtArgs(ev, ctx)}`
    )
    const diffs: string[] = []
    for (const [num, line] of theirs) {
      const mine = ours.get(num)
      if (mine !== line) diffs.push(`sysdig: ${line}\nours:   ${String(mine)}`)
    }
    console.log(
      `events written ${String(written)}, shown by sysdig ${String(theirs.size)}, different ${String(diffs.length)}`
    )
    expect(diffs.slice(0, 20)).toEqual([])
    expect(theirs.size).toBeGreaterThan(600)
  })
})
