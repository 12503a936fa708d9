// Event blocks and stream framing, over captures built by the test writer.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { collectBuffer, collectFile } from './collect'
import {
  BT,
  ScapWriter,
  bytes,
  fd,
  i64,
  path,
  sampleCapture,
  str,
  u16,
  u32,
  u64,
  u8
} from '../fixtures/scap-writer'

const T0 = 1_700_000_000_000_000_000n
const hex = (b: Buffer): string => b.toString('hex')

describe('event blocks', () => {
  test('EV_V2 header fields and params', async () => {
    const w = new ScapWriter().shb()
    w.ev(306, { tid: 4242, ts: T0 + 5n, cpu: 3, params: [fd(-100), path('/etc/passwd'), u32(1), u32(0)] })
    const r = await collectBuffer(w.toBuffer())
    expect(r.summary).toMatchObject({
      complete: true,
      events: 1,
      sections: 1,
      formatVersion: '1.2',
      compressed: false
    })
    expect(r.events[0]).toMatchObject({
      num: 1,
      type: 306,
      name: 'openat',
      tid: 4242,
      ts: String(T0 + 5n),
      cpu: 3
    })
    expect(r.events[0]?.params).toEqual([hex(fd(-100)), hex(path('/etc/passwd')), hex(u32(1)), hex(u32(0))])
    expect(r.events[0]?.fileOffset).toBe(w.offsets[1])
  })

  test('timestamps given as hi/lo halves, tid -1', async () => {
    const w = new ScapWriter()
      .shb()
      .ev(324, { tid: -1, ts: { hi: 0x17a00000, lo: 0xfffffffe }, params: [str('{}')] })
    const r = await collectBuffer(w.toBuffer())
    expect(r.events[0]).toMatchObject({ tid: -1, ts: ((0x17a00000n << 32n) | 0xfffffffen).toString() })
  })

  // [label, event spec, block name, expected record subset]
  const cases: [string, (w: ScapWriter) => ScapWriter, string, Record<string, unknown>][] = [
    [
      'EVF_V2 dump flags',
      (w) => w.ev(5, { tid: 1, ts: T0, flags: 1, params: [i64(0)] }),
      'EVF_V2',
      { dumpFlags: 1 }
    ],
    [
      'EV_V2_LARGE with a LARGE_PAYLOAD type (u32 lengths)',
      (w) => w.ev(324, { tid: -1, ts: T0, large: true, params: [str('x'.repeat(70000))] }),
      'EV_V2_LARGE',
      { type: 324, nparams: 1 }
    ],
    [
      'EVF_V2_LARGE',
      (w) => w.ev(322, { tid: -1, ts: T0, large: true, flags: 4, params: [u32(9), bytes('data')] }),
      'EVF_V2_LARGE',
      { dumpFlags: 4, params: [hex(u32(9)), hex(bytes('data'))] }
    ],
    [
      'EV_V2_LARGE with an ordinary type keeps u16 lengths',
      (w) => w.ev(4, { tid: 1, ts: T0, large: true, params: [fd(7)] }),
      'EV_V2_LARGE',
      { params: [hex(fd(7))] }
    ],
    [
      'V1 EV block: nparams inferred (open enter, 3 params)',
      (w) => w.ev(2, { tid: 1, ts: T0, v1: true, params: [path('/a'), u32(1), u32(0)] }),
      'EV',
      { nparams: 3, params: [hex(path('/a')), hex(u32(1)), hex(u32(0))] }
    ],
    [
      'V1 EV block with fewer params than the table (old layout)',
      (w) => w.ev(3, { tid: 1, ts: T0, v1: true, params: [i64(3)] }),
      'EV',
      { nparams: 1, layoutLen: 5 }
    ],
    [
      'V1 EV block with zero-length params',
      (w) => w.ev(2, { tid: 1, ts: T0, v1: true, params: [Buffer.alloc(0), u32(1), Buffer.alloc(0)] }),
      'EV',
      { nparams: 3, params: ['', hex(u32(1)), ''] }
    ],
    [
      'V1 EVF block',
      (w) => w.ev(5, { tid: 1, ts: T0, v1: true, flags: 1, params: [i64(0)] }),
      'EVF',
      { dumpFlags: 1, nparams: 1 }
    ],
    [
      'V1 NOTIFICATION_E with the 3-byte length quirk',
      (w) => {
        const [a, b] = [str('id'), str('desc')]
        return w.ev(280, { tid: 1, ts: T0, v1: true, len: 22 + 4 + a.length + b.length + 3, params: [a, b] })
      },
      'EV',
      { nparams: 2, params: [hex(str('id')), hex(str('desc'))] }
    ],
    [
      'generic syscall event named by its ID',
      (w) => w.ev(0, { tid: 1, ts: T0, params: [u16(5), u16(2)] }),
      'EV_V2',
      { name: 'open', nparams: 2 }
    ],
    [
      'execve exit with 20 params takes the 0.29.3 layout',
      (w) => w.ev(293, { tid: 1, ts: T0, params: Array.from({ length: 20 }, () => Buffer.alloc(0)) }),
      'EV_V2',
      { nparams: 20, layoutLen: 20 }
    ],
    [
      'execve exit with 31 params takes the HEAD layout',
      (w) => w.ev(293, { tid: 1, ts: T0, params: Array.from({ length: 31 }, () => Buffer.alloc(0)) }),
      'EV_V2',
      { nparams: 31, layoutLen: 31 }
    ],
    [
      'more params than any layout knows',
      (w) => w.ev(5, { tid: 1, ts: T0, params: [i64(0), u8(1), u8(2), u8(3)] }),
      'EV_V2',
      { nparams: 4, params: ['0000000000000000', '01', '02', '03'] }
    ]
  ]
  test.each(cases)('%s', async (_label, build, block, expected) => {
    const r = await collectBuffer(build(new ScapWriter().shb()).toBuffer())
    expect(r.summary.complete).toBe(true)
    expect(r.summary.blocks[block]).toBe(1)
    expect(r.events).toHaveLength(1)
    expect(r.events[0]).toMatchObject(expected)
  })

  test('the V1 length quirk is reported as info', async () => {
    const p = [str('id'), str('desc')]
    const w = new ScapWriter().shb().ev(280, { tid: 1, ts: T0, v1: true, len: 22 + 4 + 3 + 5 + 3, params: p })
    const r = await collectBuffer(w.toBuffer())
    expect(r.summary.anomalies['v1-len-quirk']).toMatchObject({ count: 1, severity: 'info' })
  })

  // Malformed events: counted, skipped, never fatal; the next event still arrives with num 1.
  const bad: [string, (w: ScapWriter) => ScapWriter, string][] = [
    [
      'event len below the header',
      (w) => w.ev(4, { tid: 1, ts: T0, params: [fd(3)], len: 20 }),
      'event-too-short'
    ],
    [
      'event len beyond its block',
      (w) => w.ev(4, { tid: 1, ts: T0, params: [fd(3)], len: 5000 }),
      'event-len-exceeds-block'
    ],
    [
      'nparams above 64',
      (w) => w.ev(4, { tid: 1, ts: T0, params: [fd(3)], nparams: 100 }),
      'event-too-many-params'
    ],
    [
      'length array past len',
      (w) => w.ev(4, { tid: 1, ts: T0, params: [fd(3)], nparams: 20 }),
      'event-params-overflow'
    ],
    [
      'param lengths past len',
      (w) => w.ev(4, { tid: 1, ts: T0, params: [fd(3)], len: 26 + 2 + 4 }),
      'event-params-overflow'
    ],
    [
      'V1 event with no matching count',
      (w) => w.ev(4, { tid: 1, ts: T0, v1: true, params: [fd(3)], len: 33 }),
      'v1-nparams-unresolved'
    ],
    ['unknown event code 999', (w) => w.ev(999, { tid: 1, ts: T0, params: [u8(1)] }), 'unknown-event-type'],
    ['body too short for a header', (w) => w.block(BT.EV_V2, Buffer.alloc(10)), 'event-too-short']
  ]
  test.each(bad)('%s → anomaly, skipped', async (_label, build, code) => {
    const w = build(new ScapWriter().shb()).ev(5, { tid: 2, ts: T0 + 1n, params: [i64(0)] })
    const r = await collectBuffer(w.toBuffer())
    expect(r.summary.complete).toBe(true)
    expect(r.summary.anomalies[code]?.count).toBe(1)
    expect(r.events.map((e) => [e.num, e.tid])).toEqual([[1, 2]])
    expect(r.anomalies.find((a) => a.code === code)?.offset).toBe(w.offsets[1])
  })

  test('event types unknown to 0.29.3: delivered by default, skipped and not numbered with eventSet sysdig0293', async () => {
    const w = new ScapWriter().shb()
    w.ev(4, { tid: 1, ts: T0, params: [fd(3)] })
    w.ev(363, { tid: 1, ts: T0 + 1n, params: [fd(4), fd(3), fd(4)] }) // DUP2_X, HEAD only
    w.ev(5, { tid: 1, ts: T0 + 2n, params: [i64(0)] })
    const head = await collectBuffer(w.toBuffer())
    expect(head.events.map((e) => [e.num, e.type])).toEqual([
      [1, 4],
      [2, 363],
      [3, 5]
    ])
    const old = await collectBuffer(w.toBuffer(), { eventSet: 'sysdig0293' })
    expect(old.events.map((e) => [e.num, e.type])).toEqual([
      [1, 4],
      [2, 5]
    ])
    expect(old.summary.anomalies['event-not-in-0.29.3']).toMatchObject({ count: 1, severity: 'info' })
  })

  test('event block with bytes after the event (pcapng options): delivered, info anomaly', async () => {
    const evt = ScapWriter.event(4, { tid: 1, ts: T0, params: [fd(3)] })
    const opt = Buffer.concat([u16(1), u16(7), Buffer.from('comment'), Buffer.alloc(1), u16(0), u16(0)])
    const r = await collectBuffer(
      new ScapWriter()
        .shb()
        .block(BT.EV_V2, Buffer.concat([u16(0), evt, opt]))
        .toBuffer()
    )
    expect(r.events).toHaveLength(1)
    expect(r.summary.anomalies['event-block-options']?.count).toBe(1)
  })

  test('event block trailer mismatch: delivered with a warning', async () => {
    const b = new ScapWriter()
      .shb()
      .ev(4, { tid: 1, ts: T0, params: [fd(3)] })
      .toBuffer()
    b.writeUInt32LE(999, b.length - 4)
    const r = await collectBuffer(b)
    expect(r.events).toHaveLength(1)
    expect(r.summary.anomalies['event-trailer-mismatch']).toMatchObject({ count: 1, severity: 'warning' })
    expect(r.summary.complete).toBe(true)
  })
})

describe('sections, compression, chunking', () => {
  function twoSections(): ScapWriter {
    const w = new ScapWriter()
      .shb({ minor: 0 })
      .mi({ hostname: 'a' })
      .procs([{ tid: 1, comm: 'one' }])
    w.ev(4, { tid: 1, ts: T0, params: [fd(3)] }).ev(5, { tid: 1, ts: T0 + 1n, params: [i64(0)] })
    w.shb()
      .mi({ hostname: 'b' })
      .procs([{ tid: 2, comm: 'two' }])
    return w.ev(6, { tid: 2, ts: T0 + 2n, params: [fd(3), u32(10)] })
  }

  test('several sections: a section callback each, numbering continues', async () => {
    const w = twoSections()
    const r = await collectBuffer(w.toBuffer())
    expect(r.sections).toEqual([
      { index: 0, major: 1, minor: 0, offset: 0 },
      { index: 1, major: 1, minor: 2, offset: w.offsets[5] }
    ])
    expect(r.summary).toMatchObject({ sections: 2, formatVersion: '1.0', events: 3, complete: true })
    expect(r.machines.map((m) => m.hostname)).toEqual(['a', 'b'])
    expect(r.events.map((e) => e.num)).toEqual([1, 2, 3])
  })

  test('gzip: same result, compressed flag set', async () => {
    const plain = await collectBuffer(sampleCapture())
    const gz = await collectBuffer(sampleCapture({ gzip: true }))
    expect(gz.summary.compressed).toBe(true)
    expect(gz.events).toEqual(plain.events)
    expect(gz.threads).toEqual(plain.threads)
    expect(gz.summary.bytes).toBe(sampleCapture().length)
  })

  test.each([1, 7, 8, 9, 13, 64, 100, 4096])(
    'reading a file in %i-byte chunks gives the same result',
    async (chunk) => {
      const dir = mkdtempSync(join(tmpdir(), 'pg-cap-'))
      const data = twoSections()
        .ev(324, { tid: -1, ts: T0 + 9n, large: true, params: [str('y'.repeat(5000))] })
        .toBuffer()
      const whole = await collectBuffer(data)
      for (const gzip of [false, true]) {
        const f = join(dir, `c${gzip ? '.gz' : ''}.scap`)
        writeFileSync(f, gzip ? new ScapWriter().raw(data).toBuffer({ gzip: true }) : data)
        const r = await collectFile(f, { chunkBytes: chunk })
        expect(r.events).toEqual(whole.events)
        expect(r.threads).toEqual(whole.threads)
        expect(r.summary.complete).toBe(true)
        expect(r.summary.blocks).toEqual(whole.summary.blocks)
      }
    }
  )

  test('visitor returning false stops reading', async () => {
    const w = twoSections()
    const r = await collectBuffer(w.toBuffer(), {}, 2)
    expect(r.events).toHaveLength(2)
    expect(r.summary.bytes).toBe(w.offsets[5])
    expect(r.summary).toMatchObject({ stopped: true, complete: false })
  })

  test('an aborted signal stops reading', async () => {
    const ac = new AbortController()
    ac.abort()
    const r = await collectBuffer(twoSections().toBuffer(), { signal: ac.signal })
    expect(r.events).toHaveLength(0)
    expect(r.summary.stopped).toBe(true)
  })

  test('a missing file is an io error', async () => {
    const r = await collectFile('/nonexistent/dir/x.scap')
    expect(r.summary.error?.code).toBe('io')
  })
})

describe('fatal structural errors keep what came before', () => {
  const base = (): ScapWriter =>
    new ScapWriter()
      .shb()
      .procs([{ tid: 1 }])
      .ev(4, { tid: 1, ts: T0, params: [fd(3)] })
  // [label, bytes, error code, offset (index into writer offsets or absolute), block, events delivered]
  const cases: [string, () => { data: Buffer; at: number }, string, string | undefined, number][] = [
    ['empty input', () => ({ data: Buffer.alloc(0), at: 0 }), 'not-a-capture', undefined, 0],
    [
      'text file',
      () => ({ data: Buffer.from('hello, world\n'.repeat(10)), at: 0 }),
      'not-a-capture',
      undefined,
      0
    ],
    ['five bytes of text', () => ({ data: Buffer.from('hello'), at: 0 }), 'not-a-capture', undefined, 0],
    [
      'the first 3 bytes of an SHB',
      () => ({ data: Buffer.from([10, 13, 13]), at: 0 }),
      'truncated',
      undefined,
      0
    ],
    [
      'bad byte-order magic',
      () => {
        const d = base().toBuffer()
        d.writeUInt32LE(0x11223344, 8)
        return { data: d, at: 0 }
      },
      'not-a-capture',
      'SHB',
      0
    ],
    [
      'big-endian section',
      () => {
        const d = base().toBuffer()
        d.writeUInt32LE(0x4d3c2b1a, 8)
        return { data: d, at: 0 }
      },
      'unsupported',
      'SHB',
      0
    ],
    [
      'major version 2',
      () => ({ data: new ScapWriter().shb({ major: 2 }).toBuffer(), at: 0 }),
      'unsupported',
      'SHB',
      0
    ],
    [
      'truncated inside an event block',
      () => {
        const w = base().ev(5, { tid: 1, ts: T0, params: [i64(0)] })
        return { data: w.toBuffer().subarray(0, w.length - 5), at: w.offsets[3] ?? -1 }
      },
      'truncated',
      'EV_V2',
      1
    ],
    [
      'truncated inside a block header',
      () => {
        const w = base()
        return { data: Buffer.concat([w.toBuffer(), Buffer.from([0x16, 0x02, 0])]), at: w.length }
      },
      'truncated',
      undefined,
      1
    ],
    [
      'block length below 12',
      () => {
        const w = base()
        return { data: Buffer.concat([w.toBuffer(), u32(0x216), u32(4)]), at: w.length }
      },
      'corrupt',
      'EV_V2',
      1
    ],
    [
      'absurd block length',
      () => {
        const w = base()
        return {
          data: Buffer.concat([w.toBuffer(), u32(0x215), u32(0xfffffff0), Buffer.alloc(64)]),
          at: w.length
        }
      },
      'corrupt',
      'PL_V9',
      1
    ],
    [
      'metadata trailer mismatch',
      () => {
        const w = base().procs([{ tid: 2 }])
        const d = w.toBuffer()
        d.writeUInt32LE(1234, d.length - 4)
        return { data: d, at: w.offsets[3] ?? -1 }
      },
      'corrupt',
      'PL_V9',
      1
    ]
  ]
  test.each(cases)('%s', async (_label, make, code, block, delivered) => {
    const { data, at } = make()
    const r = await collectBuffer(data)
    expect(r.summary.complete).toBe(false)
    expect(r.summary.error).toMatchObject({ code, offset: at })
    expect(r.summary.bytes).toBe(at)
    expect(r.summary.error?.block).toBe(block)
    expect(r.events).toHaveLength(delivered)
  })

  test('pcapng network capture is refused with a clear message', async () => {
    const shb = new ScapWriter().shb().toBuffer()
    const idb = new ScapWriter().block(0x1, Buffer.concat([u16(1), u16(0), u32(65535)])).toBuffer()
    const r = await collectBuffer(Buffer.concat([shb, idb]))
    expect(r.summary.error?.code).toBe('not-a-capture')
    expect(r.summary.error?.message).toMatch(/^not a syscall capture \(pcapng network capture: /)
  })

  test('unknown blocks are skipped and counted, before and after events', async () => {
    const w = new ScapWriter()
      .shb()
      .block(0x300, u64(1))
      .ev(4, { tid: 1, ts: T0, params: [fd(3)] })
    w.block(0x7777, Buffer.alloc(3)).ev(5, { tid: 1, ts: T0, params: [i64(0)] })
    const r = await collectBuffer(w.toBuffer())
    expect(r.events).toHaveLength(2)
    expect(r.summary.blocks).toMatchObject({ UNKNOWN_0x300: 1, UNKNOWN_0x7777: 1 })
    expect(r.summary.anomalies['unknown-block']).toMatchObject({
      count: 2,
      severity: 'info',
      firstOffset: w.offsets[1]
    })
    expect(r.summary.complete).toBe(true)
  })

  test('a section without events is flagged', async () => {
    const r = await collectBuffer(
      new ScapWriter()
        .shb()
        .procs([{ tid: 1 }])
        .toBuffer()
    )
    expect(r.summary.complete).toBe(true)
    expect(r.summary.anomalies['empty-section']?.count).toBe(1)
  })

  test('SHB with pcapng options (as Wireshark writes it)', async () => {
    const opt = Buffer.concat([u16(1), u16(4), Buffer.from('note'), u16(0), u16(0)])
    const w = new ScapWriter().shb({ options: opt }).ev(4, { tid: 1, ts: T0, params: [fd(3)] })
    const r = await collectBuffer(w.toBuffer())
    expect(r.events).toHaveLength(1)
    expect(r.summary.anomalies['shb-options']?.count).toBe(1)
  })
})
