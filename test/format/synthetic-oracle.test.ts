/**
 * Hand-made capture with every parameter shape and hostile text (control characters, escape sequences, HTML,
 * invalid UTF-8) in strings, paths, buffers, process names and fd names: the default `sysdig -r` line must
 * come out identical from our decoder + state engine + renderers. A few lines are also pinned verbatim, so
 * the hostile-text rules are checked even where sysdig is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as W from '../fixtures/scap-writer'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import { evtAbspath, evtIsOpen } from '../../src-main/engine/format/evt-paths'
import { decodeUtf8Escaped, encodeUtf8Escaped } from '../../src-main/engine/format/byte-text'
import { setLocalOffsetSeconds, timeText } from '../../src-main/engine/format/time-text'
import { hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

const HOSTILE = Buffer.from([
  0x61, 0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x3c, 0x62, 0x3e, 0xc3, 0xa9, 0xff, 0x7f, 0x80,
  0x26, 0x22, 0x27, 0x5c, 0x7a
])
/** HOSTILE as rendered: invalid UTF-8 bytes kept as U+DC80+byte (written back as the same bytes). */
const HOSTILE_TEXT = decodeUtf8Escaped(HOSTILE, 0, HOSTILE.length)
const Z = (b: Buffer): Buffer => Buffer.concat([b, Buffer.from([0])])
const HTML = '<script>alert("x")</script>&amp;'

function buildCapture(file: string): void {
  const w = new W.ScapWriter()
  w.shb({ major: 1, minor: 2 })
  w.mi({ cpus: 2, memory: 8 << 30, maxPid: 32768, hostname: 'box', bootTs: 0n })
  w.users(
    [
      { uid: 0, gid: 0, name: 'root' },
      { uid: 1000, gid: 1000, name: 'b<o>b' }
    ],
    [{ gid: 0, name: 'root' }],
    {
      version: 2
    }
  )
  w.procs(
    [
      { tid: 100, comm: 'evil', exe: '/bin/evil', cwd: '/home/x/' },
      { tid: 200, comm: `oth\x01er${HTML}` },
      { tid: 300, comm: 'caf\u00e9\u2603', cwd: '/t\u00e9st/' }
    ],
    { version: 9 }
  )
  w.fds(
    100,
    [
      W.fdFile(3, `/etc/pa\x07ss${HTML}\u00e9`),
      W.fdIpv4(4, '10.0.0.5', 40000, '1.2.3.4', 80),
      W.fdIpv4Serv(5, '0.0.0.0', 80),
      W.fdIpv6(6, '::1', 5000, '2001:db8::1', 443),
      W.fdUnix(7, 0xffff1234n, 0xabcdn, '/run/so\x1bck'),
      W.fdFifo(8, 'pipe:[123]'),
      W.fdDir(10, '/tmp/d\u00e9'),
      W.fdIpv6Serv(11, '::', 22)
    ],
    { version: 2 }
  )
  let t = 1_700_000_000_000_000_000n
  const ev = (code: number, params: Buffer[], tid = 100): void => {
    t += 1000n
    w.ev(code, { tid, ts: t, params })
  }
  for (const f of [3, 4, 5, 6, 7, 8, 10, 11, 99, -100, -2]) ev(6, [W.fd(f), W.u32(0x80000000)])
  ev(95, [W.errno(-13), Z(HOSTILE)])
  ev(95, [W.errno(0), W.str(HTML)])
  ev(9, [W.errno(256), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])
  ev(9, [W.errno(5), HOSTILE])
  ev(9, [W.errno(5), Buffer.from(HTML)])
  ev(128, [W.pid(200), W.u8(9)])
  ev(128, [W.pid(300), W.u8(15)])
  ev(6, [W.fd(3), W.u32(1)], 300)
  ev(134, [W.u64(1500000000n)])
  ev(134, [W.u64(123n)])
  ev(198, [W.u32(1000)])
  ev(198, [W.u32(0xffffffff)])
  ev(22, [W.fd(99), W.sockaddrUnix(`/p\x02q${HTML}`)])
  ev(23, [W.errno(0), W.tupleUnix(0xffff88001234n, 0n, `/run/x\x01y${HTML}`)])
  ev(23, [W.errno(0), W.tuple6('::ffff:10.0.0.1', 1, '::', 2)])
  ev(80, [Buffer.concat([W.u16(2), W.i64(3), W.i16(1), W.i64(77), W.i16(-1)]), W.i64(-1)])
  ev(254, [Buffer.concat([W.u16(1), W.i64(5), W.i16(0x41)]), W.u64(2000000n), W.u32(0x80000101)])
  ev(177, [W.errno(0), W.fd(10), Z(Buffer.from('a/../b\x01c')), W.fd(-100), W.path('./c/')])
  ev(313, [W.errno(0), W.fd(-100), Z(HOSTILE), W.u32(0o4755)])
  ev(18, [W.u32(999), W.u32(2), W.u32(17)])
  ev(160, [W.u64(0xffffffffffffffffn), W.u64(1n << 63n), W.u32(0), W.u32(0), W.fd(-1), W.u64(12n)])
  ev(2, [Z(HOSTILE), W.u32(0x241), W.u32(0o600)])
  ev(3, [W.fd(12), Z(HOSTILE), W.u32(0x241), W.u32(0o600), W.u32(0)])
  ev(6, [W.fd(12), W.u32(1)])
  ev(2, [W.path('../../x'), W.u32(1), W.u32(0)], 300)
  ev(3, [W.fd(13), W.path('../../x'), W.u32(1), W.u32(0), W.u32(0)], 300)
  ev(6, [W.fd(13), W.u32(1)], 300)
  ev(0, [W.u16(5), W.u16(2)])
  ev(1, [W.u16(292)])
  // *at syscalls for evt.abspath: dirfd known / unknown / AT_FDCWD, relative and absolute paths
  ev(177, [W.errno(0), W.fd(10), W.path('a/../b'), W.fd(99), W.path('n\x01ew')])
  ev(319, [W.errno(0), W.fd(-100), W.path('/abs/./x'), W.fd(10), W.path('y/'), W.u32(1)])
  ev(181, [W.errno(0), W.path('target'), W.fd(10), W.path('lnk')])
  ev(102, [W.fd(-100), W.path('rel'), W.u32(0x1004), W.u32(0o755)])
  ev(307, [W.fd(14), W.fd(10), W.path('new'), W.u32(0x2002), W.u32(0o640), W.u32(0)])
  ev(311, [W.errno(0), W.fd(10), W.path('o'), W.fd(-100), W.path('../n'), W.u32(0)])
  ev(106, [W.fd(99), W.path('o'), W.fd(10), W.path('n')])
  ev(110, [W.fd(10), W.path('gone')])
  ev(303, [W.errno(0), W.fd(-100), W.path('gone2'), W.u32(0)])
  ev(305, [W.errno(0), W.fd(3), W.path('dir'), W.u32(0o700)])
  // strings without their NUL: sysdig reads on into the next parameters
  ev(2, [Buffer.from('abc'), W.u32(0x41424344), W.u32(0o700)])
  ev(95, [W.errno(0), Buffer.from('nonul')])
  ev(179, [W.errno(0), Buffer.from('tgt'), W.str('lnk')])
  ev(2, [W.path('/w'), W.u32(0x6), W.u32(0o700)])
  ev(3, [W.fd(15), W.path('/w'), W.u32(0x6), W.u32(0o700), W.u32(0)])
  ev(306, [W.fd(10), W.path('e2'), W.u32(1), W.u32(0)])
  ev(326, [W.fd(10), W.path('e3'), W.u32(1), W.u32(0), W.u32(0)])
  ev(330, [W.fd(10), W.path('e4'), W.u32(0)])
  ev(313, [W.errno(0), W.fd(10), W.path('m'), W.u32(0o644)])
  ev(6, [W.fd(3), W.u32(1)], -1)
  ev(6, [W.fd(3), W.u32(1)], 555)
  w.writeFile(file)
}

const dir = mkdtempSync(path.join(tmpdir(), 'peregrine-format-'))
const file = path.join(dir, 'hostile.scap')
buildCapture(file)

async function ours(wanted: Set<number>): Promise<Map<number, string>> {
  return ourLines(file, wanted, (ev, ctx, engine) => {
    const comm = engine.tinfo?.comm ?? '<NA>'
    return `${String(ev.num)} ${timeText(ev.tsHi, ev.tsLo)} ${String(ev.cpu)} ${comm} (${String(ev.tid)}) ${evtDir(ev)} ${evtTypeName(ev)} ${renderEvtArgs(ev, ctx)}`
  })
}

describe('hostile and odd parameters', () => {
  afterAll(() => {
    if (process.env.KEEP_SYNTH === undefined) rmSync(dir, { recursive: true, force: true })
    setLocalOffsetSeconds(undefined)
  })

  it('pinned lines (sysdig 0.29.3 output, UTC)', async () => {
    setLocalOffsetSeconds(0)
    const got = await ours(new Set([1, 12, 13, 15, 16, 17, 18, 25, 34]))
    const fd12 = `/home/x/${HTML}/a.....[31m<b>.....&"'\\z`
    expect(got.get(1)).toBe(
      `1 22:13:20.000001000 0 evil (100) > read fd=3(<f>/etc/pass${HTML}) size=-2147483648 `
    )
    expect(got.get(12)).toBe(
      `12 22:13:20.000012000 0 evil (100) < chdir res=-13(EACCES) path=${HOSTILE_TEXT} `
    )
    expect(got.get(13)).toBe(`13 22:13:20.000013000 0 evil (100) < chdir res=0 path=${HTML} `)
    expect(got.get(15)).toBe(
      `15 22:13:20.000015000 0 evil (100) < write res=5 data=a.....[31m<b>.....&"'\\z `
    )
    expect(got.get(16)).toBe(`16 22:13:20.000016000 0 evil (100) < write res=5 data=${HTML} `)
    expect(got.get(17)).toBe(
      `17 22:13:20.000017000 0 evil (100) > kill pid=200(oth\x01er${HTML}) sig=9(SIGKILL) `
    )
    expect(got.get(18)).toBe(
      '18 22:13:20.000018000 0 evil (100) > kill pid=300(caf\u00e9\u2603) sig=15(SIGTERM) '
    )
    expect(got.get(25)).toBe(
      `25 22:13:20.000025000 0 evil (100) < connect res=0 tuple=ffff88001234->0 /run/xy${HTML} `
    )
    expect(got.get(34)).toBe(
      `34 22:13:20.000034000 0 evil (100) < open fd=12(<f>${fd12}) name=a[31m<b>&"'\\z(${fd12}) flags=577(O_DIRECT|O_NONBLOCK|O_RDONLY) mode=0600 dev=0 `
    )
  })

  it.skipIf(!hasSysdig)('every line equals sysdig -r, byte for byte', async () => {
    setLocalOffsetSeconds(0)
    const theirs = sysdigLines(file, null, 'UTC', [], 'latin1')
    const got = await ours(new Set(theirs.keys()))
    const diffs: string[] = []
    for (const [num, line] of theirs) {
      const mine = got.get(num)
      const bytes = mine === undefined ? undefined : encodeUtf8Escaped(mine).toString('latin1')
      if (bytes !== line) diffs.push(`sysdig: ${line}\nours:   ${String(bytes)}`)
    }
    expect(diffs).toEqual([])
    expect(theirs.size).toBeGreaterThan(35)
  })

  it.skipIf(!hasSysdig)('evt.abspath(.src/.dst) and evt.is_open_* equal sysdig', async () => {
    const format =
      '*%evt.num %evt.abspath %evt.abspath.src %evt.abspath.dst %evt.is_open_read %evt.is_open_write %evt.is_open_exec'
    const theirs = sysdigLines(file, format)
    const got = await ourLines(file, new Set(theirs.keys()), (ev, ctx) =>
      [
        String(ev.num),
        evtAbspath(ev, ctx) ?? '<NA>',
        evtAbspath(ev, ctx, 'src') ?? '<NA>',
        evtAbspath(ev, ctx, 'dst') ?? '<NA>',
        evtIsOpen(ev, 'read'),
        evtIsOpen(ev, 'write'),
        evtIsOpen(ev, 'exec')
      ].join(' ')
    )
    const diffs: string[] = []
    let withPath = 0
    for (const [num, line] of theirs) {
      if (!line.startsWith(`${String(num)} <NA>`)) withPath++
      if (got.get(num) !== line) diffs.push(`sysdig: ${line}\nours:   ${String(got.get(num))}`)
    }
    expect(diffs).toEqual([])
    expect(withPath).toBeGreaterThanOrEqual(10)
  })
})
