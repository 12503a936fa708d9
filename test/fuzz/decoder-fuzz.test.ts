// Hostile input for the decoder: truncation everywhere, random byte flips, absurd lengths, gzip bombs.
// Every case must end without an exception, keep the events that precede the damage, and finish well within
// 2 s (a hang guard, not a performance assertion: real cases take milliseconds).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import type { ReadSummary } from '../../src-main/engine/capture/capture-types'
import { readCaptureBuffer } from '../../src-main/engine/capture/read-capture'
import { ScapWriter, fd } from '../fixtures/scap-writer'

const FILES = resolve(__dirname, '../../../shared/corpus/files')
const HANG_GUARD_MS = 2000
const EVENT_BLOCKS = new Set([0x204, 0x208, 0x216, 0x217, 0x221, 0x222, 0x8010abcd])

function load(rel: string): Buffer {
  const b = readFileSync(resolve(FILES, rel))
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b
}

const SAMPLES: [string, Buffer][] = [
  ['example0 nginx (V1 events)', load('bencer__sysdig-opensource-examples/example0__nginx.scap')],
  [
    'curl_google (V1, gzip)',
    load('falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap')
  ],
  ['sample.scap (V2)', load('falcosecurity__libs/userspace__libsinsp__test__resources__sample.scap')]
]

interface Block {
  at: number
  end: number
  isEvent: boolean
}

/** Independent framing walk (no decoder code) used to predict what must survive damage. */
function blocks(b: Buffer): Block[] {
  const out: Block[] = []
  for (let at = 0; at + 8 <= b.length;) {
    const total = b.readUInt32LE(at + 4)
    out.push({ at, end: at + total, isEvent: EVENT_BLOCKS.has(b.readUInt32LE(at)) })
    at += total
  }
  return out
}

interface Outcome {
  summary: ReadSummary
  /** "offset:ts:tid:type" per delivered event. */
  events: string[]
  ms: number
}

async function decode(data: Buffer, opts = {}): Promise<Outcome> {
  const events: string[] = []
  const t0 = performance.now()
  const summary = await readCaptureBuffer(
    data,
    {
      event: (ev) => {
        events.push(`${ev.fileOffset}:${ev.tsHi}:${ev.tsLo}:${ev.tid}:${ev.type}:${ev.nparams}`)
        // Touch every parameter the way consumers do: nothing may read outside the buffer.
        for (let i = 0; i < ev.nparams; i++) {
          ev.bytes(i)
          ev.int(i)
        }
        return true
      },
      thread: () => undefined,
      fd: () => undefined,
      anomaly: () => undefined
    },
    opts
  )
  return { summary, events, ms: performance.now() - t0 }
}

/** Seeded PRNG (mulberry32) so every run fuzzes the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe.each(SAMPLES)('%s', (_name, data) => {
  const all = blocks(data)
  let full: Outcome

  test('baseline decodes completely', async () => {
    full = await decode(data)
    expect(full.summary.complete).toBe(true)
    expect(full.events).toHaveLength(all.filter((b) => b.isEvent).length)
  })

  test('truncation at every block boundary: a complete shorter capture with exactly the events before it', async () => {
    let worst = 0
    for (let i = 1; i < all.length; i++) {
      const cut = all[i]?.at ?? 0
      const r = await decode(data.subarray(0, cut))
      worst = Math.max(worst, r.ms)
      expect(r.summary.error).toBeUndefined()
      expect(r.events).toEqual(full.events.slice(0, all.slice(0, i).filter((b) => b.isEvent).length))
    }
    expect(worst).toBeLessThan(HANG_GUARD_MS)
  })

  test('truncation inside blocks: error "truncated" at that block, events before it kept', async () => {
    const rnd = prng(7)
    const picks = Array.from({ length: 200 }, () => Math.floor(rnd() * all.length))
    for (const i of picks) {
      const b = all[i]
      if (b === undefined || b.end - b.at < 2) continue
      const cut = b.at + 1 + Math.floor(rnd() * (b.end - b.at - 1))
      const r = await decode(data.subarray(0, cut))
      expect(r.ms).toBeLessThan(HANG_GUARD_MS)
      expect(r.summary.error).toMatchObject({ code: 'truncated', offset: b.at })
      expect(r.events).toEqual(full.events.slice(0, all.slice(0, i).filter((x) => x.isEvent).length))
    }
  })

  test('random byte flips (300 seeded cases): no exception, the undamaged prefix delivered identically', async () => {
    const rnd = prng(20261128)
    for (let c = 0; c < 300; c++) {
      const d = Buffer.from(data)
      const flips = 1 + Math.floor(rnd() * 8)
      let first = d.length
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(rnd() * d.length)
        d[at] = Math.floor(rnd() * 256)
        first = Math.min(first, at)
      }
      const r = await decode(d)
      expect(r.ms).toBeLessThan(HANG_GUARD_MS)
      expect(r.summary.complete || r.summary.error !== undefined).toBe(true)
      const intact = all.filter((b) => b.end <= first && b.isEvent).length
      expect(r.events.slice(0, intact)).toEqual(full.events.slice(0, intact))
    }
  })

  test('absurd and odd block lengths at random blocks', async () => {
    const rnd = prng(99)
    const lengths = [0, 1, 11, 12, 13, 0x7fffffff, 0xffffffff, 0x10000000, 65537, data.length * 2]
    for (const len of lengths) {
      for (let k = 0; k < 10; k++) {
        const i = 1 + Math.floor(rnd() * (all.length - 1))
        const b = all[i]
        if (b === undefined) continue
        const d = Buffer.from(data)
        d.writeUInt32LE(len >>> 0, b.at + 4)
        const r = await decode(d)
        expect(r.ms).toBeLessThan(HANG_GUARD_MS)
        const before = all.slice(0, i).filter((x) => x.isEvent).length
        expect(r.events.slice(0, before)).toEqual(full.events.slice(0, before))
        if (len < 12 || len > 0x0fffffff || b.at + len > data.length)
          expect(r.summary.error?.offset).toBe(b.at)
      }
    }
  })
})

describe('gzip bombs and hostile compressed input', () => {
  /** ~1 GiB of zeros as 64 concatenated gzip members of 16 MiB each (~1 MB compressed). */
  function zeroBomb(prefix: Buffer = Buffer.alloc(0)): Buffer {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 })
    return Buffer.concat([gzipSync(prefix), ...Array.from({ length: 64 }, () => member)])
  }
  const heap = (): number => process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed

  test.each([
    ['1 GiB of zeros', Buffer.alloc(0), 'not-a-capture'],
    [
      'a valid section, then 1 GiB of zeros',
      new ScapWriter()
        .shb()
        .ev(4, { tid: 1, ts: 1n, params: [fd(3)] })
        .toBuffer(),
      'corrupt'
    ]
  ])('%s: stops at once with a clear error', async (_label, prefix, code) => {
    const before = heap()
    const r = await decode(zeroBomb(prefix))
    expect(r.summary.error?.code).toBe(code)
    expect(r.summary.bytes).toBeLessThan(64 * 1024 * 1024)
    expect(r.ms).toBeLessThan(HANG_GUARD_MS)
    expect(heap() - before).toBeLessThan(256 * 1024 * 1024)
  })

  test('a block claiming 200 MB inside a zero bomb: work bounded by the block cap, then a clear error', async () => {
    const head = new ScapWriter()
      .shb()
      .ev(4, { tid: 1, ts: 1n, params: [fd(3)] })
      .toBuffer()
    const claim = Buffer.alloc(8)
    claim.writeUInt32LE(0x215, 0)
    claim.writeUInt32LE(200 * 1024 * 1024, 4)
    const r = await decode(zeroBomb(Buffer.concat([head, claim])), { maxBlockBytes: 64 * 1024 * 1024 })
    expect(r.summary.error).toMatchObject({ code: 'corrupt', offset: head.length, block: 'PL_V9' })
    expect(r.events).toHaveLength(1)
    expect(r.ms).toBeLessThan(HANG_GUARD_MS)
  })

  test('truncated and corrupt gzip streams', async () => {
    const plain = SAMPLES[2]?.[1] ?? Buffer.alloc(0)
    const gz = gzipSync(plain)
    const full = await decode(plain)
    const cut = await decode(gz.subarray(0, Math.floor(gz.length * 0.9)))
    expect(cut.summary.error?.code).toBe('truncated')
    expect(cut.events.length).toBeGreaterThan(0)
    expect(cut.events).toEqual(full.events.slice(0, cut.events.length))
    const bad = Buffer.from(gz)
    for (let i = 100; i < 200; i++) bad[i] = 0xff - (bad[i] ?? 0)
    const r = await decode(bad)
    expect(r.summary.complete).toBe(false)
    expect(['corrupt', 'truncated']).toContain(r.summary.error?.code)
  })

  test('corruption late in a large gzip file: the events decompressed before it are delivered', async () => {
    const gz = readFileSync(resolve(FILES, 'bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'))
    const full = await decode(gz)
    const bad = Buffer.from(gz)
    const at = gz.length - 200_000
    for (let i = at; i < at + 100; i++) bad[i] = (bad[i] ?? 0) ^ 0x55
    const r = await decode(bad)
    expect(r.summary.error?.code).toBe('corrupt')
    // zlib discards the output of the failing call: at most one 16 KiB input slice of it is lost.
    expect(r.events.length).toBeGreaterThan(full.events.length * 0.8)
    expect(r.events).toEqual(full.events.slice(0, r.events.length))
    const padded = await decode(Buffer.concat([gz, Buffer.alloc(512)]))
    expect(padded.summary.complete).toBe(true)
    expect(padded.events).toHaveLength(full.events.length)
  })
})
