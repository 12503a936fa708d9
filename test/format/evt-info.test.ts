/**
 * evt.args rendering of hand-built events against what sysdig 0.29.3 printed for the same events (captured
 * once with test/fixtures/scap-writer.ts + `sysdig -r`; the expected strings are sysdig's output verbatim).
 */
import { describe, expect, it } from 'vitest'
import * as W from '../fixtures/scap-writer'
import { renderEvtArgs, evtTypeName, evtArg, evtDir } from '../../src-main/engine/format/evt-info'
import type { FdView } from '../../src-main/engine/format/render-context'
import { fixedContext, makeEvent } from './make-event'
import { decodeUtf8Escaped } from '../../src-main/engine/format/byte-text'

const HOSTILE = Buffer.from([
  0x61, 0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x3c, 0x62, 0x3e, 0xc3, 0xa9, 0xff, 0x7f, 0x80,
  0x26, 0x22, 0x27, 0x5c, 0x7a
])
/** HOSTILE as rendered: invalid UTF-8 bytes kept as U+DC80+byte (written back as the same bytes). */
const HOSTILE_TEXT = decodeUtf8Escaped(HOSTILE, 0, HOSTILE.length)
const HOSTILE_Z = Buffer.concat([HOSTILE, Buffer.from([0])])
const FD3 = '/home/x/a.....[31m<b>.....&"\'\\z'

const fds: Record<number, FdView> = {
  3: { type: 1, l4proto: 0, name: FD3 },
  4: { type: 3, l4proto: 2, name: '10.0.0.5:40000->1.2.3.4:80' },
  5: { type: 5, l4proto: 2, name: '0.0.0.0:80' },
  6: { type: 4, l4proto: 0, name: '::1:5000->2001:db8::1:443' },
  7: { type: 8, l4proto: 0, name: '/run/sock' },
  8: { type: 7, l4proto: 0, name: 'pipe:[123]' },
  9: { type: 9, l4proto: 0, name: '' },
  10: { type: 2, l4proto: 0, name: '/tmp/d' },
  11: { type: 6, l4proto: 2, name: ':::22' },
  12: { type: 12, l4proto: 0, name: '' },
  13: { type: 15, l4proto: 0, name: '' },
  14: { type: 3, l4proto: 3, name: '10.0.0.5:40000->1.2.3.4:53' },
  15: { type: 1, l4proto: 0, name: '/abs/p' },
  17: { type: 2, l4proto: 0, name: '/home/x/x' }
}
const ctx = fixedContext({
  fds,
  comms: { 100: 'evil', 200: 'oth\x01er' },
  cwd: '/home/x/',
  users: { 0: 'root', 1000: 'bob' },
  groups: { 0: 'root', 1000: 'bobg' }
})
const sockFd4 = fixedContext({ fds: { 4: { type: 4, l4proto: 0, name: 'family 17' } } })

type Row = readonly [label: string, code: number, params: Buffer[], expected: string]

const rows: readonly Row[] = [
  [
    'open: hostile FSPATH, PF_OCT mode, PF_HEX dev',
    3,
    [W.fd(3), HOSTILE_Z, W.u32(1), W.u32(0o644), W.u32(0x803)],
    `fd=3(<f>${FD3}) name=a[31m<b>&"'\\z(${FD3}) flags=1(O_RDONLY) mode=0644 dev=803 `
  ],
  [
    'open: errno fd, relative path normalised, O_RDWR',
    3,
    [W.fd(-2), W.path('rel/../x/./y'), W.u32(3), W.u32(0), W.u32(0)],
    'fd=-2(ENOENT) name=rel/../x/./y(/home/x/x/y) flags=3(O_RDWR) mode=0 dev=0 '
  ],
  [
    'open: absolute path not resolved, flag order',
    3,
    [W.fd(15), W.path('/abs//p'), W.u32(0x41 | 4 | 0x1000), W.u32(0o755), W.u32(0)],
    'fd=15(<f>/abs/p) name=/abs//p flags=4165(O_NONBLOCK|O_CREAT|O_RDONLY|O_CLOEXEC) mode=0755 dev=0 '
  ],
  [
    'open: <NA> path, O_NONE',
    3,
    [W.fd(16), W.path('<NA>'), W.u32(0), W.u32(0), W.u32(0)],
    'fd=16 name=<NA> flags=0(O_NONE) mode=0 dev=0 '
  ],
  [
    'open: all flag bits, %#o and %X of 0xffffffff',
    3,
    [W.fd(17), W.path('x'), W.u32(0x7fffffff), W.u32(0xffffffff), W.u32(0xffffffff)],
    'fd=17(<d>/home/x/x) name=x(/home/x/x) flags=2147483647(O_LARGEFILE|O_DIRECTORY|O_DIRECT|O_TRUNC|O_SYNC|O_NONBLOCK|O_EXCL|O_DSYNC|O_APPEND|O_CREAT|O_RDWR|O_CLOEXEC|O_TMPFILE) mode=037777777777 dev=FFFFFFFF '
  ],
  ['chdir: CHARBUF printed raw', 95, [W.errno(-13), HOSTILE_Z], `res=-13(EACCES) path=${HOSTILE_TEXT} `],
  ['chdir: kernel errno name', 95, [W.errno(-512), W.str('')], 'res=-512(ERESTARTSYS) path= '],
  [
    'write: all bytes as dots, cut at 80 with ...',
    9,
    [W.errno(256), Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
    'res=256 data=................................ !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKL... '
  ],
  ['write: hostile bytes', 9, [W.errno(5), HOSTILE], 'res=5 data=a.....[31m<b>.....&"\'\\z '],
  [
    'read: ipv4 tcp, PRId32 of a UINT32',
    6,
    [W.fd(4), W.u32(0x80000000)],
    'fd=4(<4t>10.0.0.5:40000->1.2.3.4:80) size=-2147483648 '
  ],
  ['read: server socket', 6, [W.fd(5), W.u32(1)], 'fd=5(<4t>0.0.0.0:80) size=1 '],
  ['read: ipv6 no l4', 6, [W.fd(6), W.u32(1)], 'fd=6(<6>::1:5000->2001:db8::1:443) size=1 '],
  ['read: unix', 6, [W.fd(7), W.u32(1)], 'fd=7(<u>/run/sock) size=1 '],
  ['read: fifo', 6, [W.fd(8), W.u32(1)], 'fd=8(<p>pipe:[123]) size=1 '],
  ['read: eventfd empty name', 6, [W.fd(9), W.u32(1)], 'fd=9(<e>) size=1 '],
  ['read: ipv6 server', 6, [W.fd(11), W.u32(1)], 'fd=11(<6t>:::22) size=1 '],
  ['read: eventpoll', 6, [W.fd(12), W.u32(1)], 'fd=12(<l>) size=1 '],
  ['read: netlink', 6, [W.fd(13), W.u32(1)], 'fd=13(<n>) size=1 '],
  ['read: udp', 6, [W.fd(14), W.u32(1)], 'fd=14(<4u>10.0.0.5:40000->1.2.3.4:53) size=1 '],
  ['read: unknown fd', 6, [W.fd(99), W.u32(1)], 'fd=99 size=1 '],
  ['read: AT_FDCWD', 6, [W.fd(-100), W.u32(1)], 'fd=-100(AT_FDCWD) size=1 '],
  ['read: unknown errno', 6, [W.fd(-9999), W.u32(1)], 'fd=-9999 size=1 '],
  ['kill: pid comm', 128, [W.pid(100), W.u8(9)], 'pid=100(evil) sig=9(SIGKILL) '],
  ['kill: comm not sanitised, unnamed signal', 128, [W.pid(200), W.u8(64)], 'pid=200(oth\x01er) sig=64 '],
  ['kill: no thread, signal 0', 128, [W.pid(-1), W.u8(0)], 'pid=-1 sig=0 '],
  ['nanosleep: %g seconds', 134, [W.u64(1500000000n)], 'interval=1500000000(1.5s) '],
  ['nanosleep: none', 134, [W.u64(0xffffffffffffffffn)], 'interval=none '],
  ['nanosleep: exponent form', 134, [W.u64(123n)], 'interval=123(1.23e-07s) '],
  ['nanosleep: zero', 134, [W.u64(0n)], 'interval=0(0s) '],
  ['setuid: user name', 198, [W.u32(1000)], 'uid=1000(bob) '],
  ['setuid: none', 198, [W.u32(0xffffffff)], 'uid=-1(<NONE>) '],
  ['setuid: unknown user', 198, [W.u32(4242)], 'uid=4242(<NA>) '],
  ['setuid: %d of a large uid', 198, [W.u32(0x80000000)], 'uid=-2147483648(<NA>) '],
  [
    'connect: ipv4 tuple',
    23,
    [W.errno(0), W.tuple4('10.0.0.5', 40000, '1.2.3.4', 80)],
    'res=0 tuple=10.0.0.5:40000->1.2.3.4:80 '
  ],
  [
    'connect: ipv6 tuple',
    23,
    [W.errno(0), W.tuple6('::1', 40000, '2001:db8::1', 443)],
    'res=0 tuple=::1:40000->2001:db8::1:443 '
  ],
  [
    'connect: v4-mapped both sides',
    23,
    [W.errno(0), W.tuple6('::ffff:10.0.0.1', 1, '::ffff:10.0.0.2', 2)],
    'res=0 tuple=10.0.0.1:1->10.0.0.2:2 '
  ],
  [
    'connect: v4-mapped one side',
    23,
    [W.errno(0), W.tuple6('::ffff:10.0.0.1', 1, '::1', 2)],
    'res=0 tuple=::ffff:10.0.0.1:1->::1:2 '
  ],
  [
    'connect: v4-compatible, longest zero run',
    23,
    [W.errno(0), W.tuple6('::1.2.3.4', 1, '1:0:0:1:0:0:0:1', 2)],
    'res=0 tuple=::1.2.3.4:1->1:0:0:1::1:2 '
  ],
  [
    'connect: unix tuple, sanitised path',
    23,
    [W.errno(0), W.tupleUnix(0xffff88001234n, 0n, '/run/x\x01y')],
    'res=0 tuple=ffff88001234->0 /run/xy '
  ],
  ['connect: empty tuple', 23, [W.errno(-111), W.empty()], 'res=-111(ECONNREFUSED) tuple=NULL '],
  ['connect: other family', 23, [W.errno(0), W.u8(16)], 'res=0 tuple=family 16 '],
  ['connect: bad ipv4 length', 23, [W.errno(0), Buffer.from([2, 1, 2])], 'res=0 tuple=INVALID IPv4 '],
  [
    'connect E: sockaddr v4',
    22,
    [W.fd(4), W.sockaddr4('1.2.3.4', 80)],
    'fd=4(<4t>10.0.0.5:40000->1.2.3.4:80) addr=1.2.3.4:80 '
  ],
  [
    'poll: fdlist',
    80,
    [Buffer.concat([W.u16(3), W.i64(3), W.i16(1), W.i64(4), W.i16(5), W.i64(77), W.i16(-1)]), W.i64(-1)],
    'fds=3:f1 4:45 77:?ffffffff timeout=-1 '
  ],
  ['poll: empty fdlist', 80, [W.u16(0), W.i64(1000)], 'fds= timeout=1000 '],
  [
    'ppoll: sigset',
    254,
    [Buffer.concat([W.u16(1), W.i64(5), W.i16(0x41)]), W.u64(2000000n), W.u32(0x80000101)],
    'fds=5:441 timeout=2000000(0.002s) sigmask=SIGHUP SIGKILL '
  ],
  ['ppoll: empty sigset', 254, [W.u16(0), W.u64(0n), W.u32(0)], 'fds= timeout=0(0s) sigmask= '],
  [
    'ptrace: dyn hex u64 and signal',
    169,
    [W.errno(0), Buffer.concat([W.u8(0), W.u64(0xdeadbeefn)]), Buffer.concat([W.u8(1), W.u8(9)])],
    'res=0 addr=DEADBEEF data=9(SIGKILL) '
  ],
  ['bpf: dyn fd', 297, [Buffer.concat([W.u8(0), W.i64(7)])], 'res_or_fd=7(<u>/run/sock) '],
  ['bpf: dyn errno', 297, [Buffer.concat([W.u8(1), W.i64(-1)])], 'res_or_fd=-1(EPERM) '],
  [
    'renameat: FSRELPATH against dirfd and cwd',
    177,
    [W.errno(0), W.fd(10), W.path('a/b'), W.fd(-100), W.path('c')],
    'res=0 olddirfd=10(<d>/tmp/d) oldpath=a/b(/tmp/d/a/b) newdirfd=-100(AT_FDCWD) newpath=c(/home/x/c) '
  ],
  [
    'renameat: unknown dirfd, absolute',
    177,
    [W.errno(0), W.fd(99), W.path('a/b'), W.fd(3), W.path('/abs')],
    `res=0 olddirfd=99 oldpath=a/b(a/b) newdirfd=3(<f>${FD3}) newpath=/abs `
  ],
  [
    'fchmodat: mode names',
    313,
    [W.errno(0), W.fd(-100), W.path('f'), W.u32(0o4755)],
    'res=0 dirfd=-100(AT_FDCWD) filename=f(/home/x/f) mode=04755(S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID) '
  ],
  [
    'fchmodat: mode 0',
    313,
    [W.errno(0), W.fd(-100), W.path('f'), W.u32(0)],
    'res=0 dirfd=-100(AT_FDCWD) filename=f(/home/x/f) mode=0 '
  ],
  [
    'fchmodat: file type bits unnamed',
    313,
    [W.errno(0), W.fd(-100), W.path('f'), W.u32(0o100644)],
    'res=0 dirfd=-100(AT_FDCWD) filename=f(/home/x/f) mode=0100644(S_IROTH|S_IRGRP|S_IWUSR|S_IRUSR) '
  ],
  ['socket: family', 18, [W.u32(2), W.u32(1), W.u32(0)], 'domain=2(AF_INET) type=1 proto=0 '],
  [
    'socket: enum walked as bits (0.29.3 quirk)',
    18,
    [W.u32(999), W.u32(2), W.u32(17)],
    'domain=999(AF_NFC) type=2 proto=17 '
  ],
  [
    'setrlimit: int64',
    143,
    [W.errno(0), W.i64(-1), W.i64(1n << 62n)],
    'res=0 cur=-1 max=4611686018427387904 '
  ],
  [
    'mmap: hex u64, PRId64 of a UINT64, PROT_NONE',
    160,
    [W.u64(0xffffffffffffffffn), W.u64(1n << 63n), W.u32(0), W.u32(0), W.fd(-1), W.u64(12n)],
    'addr=FFFFFFFFFFFFFFFF length=-9223372036854775808 prot=0(PROT_NONE) flags=0 fd=-1(EPERM) offset=12 '
  ],
  ['brk: hex zero', 11, [W.u64(0n)], 'res=0 '],
  [
    'unlinkat: flags',
    303,
    [W.errno(0), W.fd(10), W.path('zz'), W.u32(0x200)],
    'res=0 dirfd=10(<d>/tmp/d) name=zz(/tmp/d/zz) flags=512(AT_REMOVEDIR) '
  ],
  [
    'unlinkat: no flags',
    303,
    [W.errno(0), W.fd(10), W.path('zz'), W.u32(0)],
    'res=0 dirfd=10(<d>/tmp/d) name=zz(/tmp/d/zz) flags=0 '
  ],
  ['signaldeliver', 232, [W.pid(0), W.pid(100), W.u8(17)], 'spid=0 dpid=100(evil) sig=17(SIGCHLD) '],
  ['generic: no args', 0, [W.u16(5), W.u16(2)], '']
]

describe('renderEvtArgs matches sysdig 0.29.3', () => {
  it.each(rows)('%s', (_label, code, params, expected) => {
    expect(renderEvtArgs(makeEvent(code, params), ctx)).toBe(expected)
  })

  it.each([
    ['sockaddr v6', W.sockaddr6('fe80::1', 80), 'fd=4(<6>family 17) addr=fe80::1:80 '],
    ['abstract unix sockaddr', W.sockaddrUnix('\x00abstract'), 'fd=4(<6>family 17) addr= '],
    ['unix sockaddr sanitised', W.sockaddrUnix('/p\x02q'), 'fd=4(<6>family 17) addr=/pq '],
    ['other family', W.u8(17), 'fd=4(<6>family 17) addr=family 17 ']
  ])('connect E %s', (_l, addr, expected) => {
    expect(renderEvtArgs(makeEvent(22, [W.fd(4), addr]), sockFd4)).toBe(expected)
  })

  it.each([
    [
      [W.u8(1), W.u8(2), Buffer.concat([W.u8(2), W.u32(1)])],
      'level=1(SOL_SOCKET) optname=2(SO_REUSEADDR) val=1'
    ],
    [
      [W.u8(2), W.u8(99), Buffer.concat([W.u8(0), Buffer.from('ab\x01c')])],
      'level=2(SOL_TCP) optname=99(SO_TIMESTAMPNS) val=ab.c'
    ],
    [
      [W.u8(0), W.u8(20), Buffer.concat([W.u8(4), W.u64(1500000000n)])],
      'level=0(UNKNOWN) optname=20(SO_RCVTIMEO) val=1500000000(1.5s)'
    ],
    [
      [W.u8(0), W.u8(20), Buffer.concat([W.u8(1), W.i64(-2)])],
      'level=0(UNKNOWN) optname=20(SO_RCVTIMEO) val=-2(ENOENT)'
    ],
    [
      [W.u8(0), W.u8(20), Buffer.concat([W.u8(3), W.u64(0xffffffffffffffffn)])],
      'level=0(UNKNOWN) optname=20(SO_RCVTIMEO) val=-1'
    ],
    [
      [W.u8(0), W.u8(20), Buffer.concat([W.u8(9), W.u64(5n)])],
      'level=0(UNKNOWN) optname=20(SO_RCVTIMEO) val=INVALID DYNAMIC PARAMETER'
    ]
  ])('setsockopt dynamic value %#', (mid, expected) => {
    const ev = makeEvent(45, [W.errno(0), W.fd(4), ...mid, W.u32(4)])
    expect(renderEvtArgs(ev, sockFd4)).toBe(`res=0 fd=4(<6>family 17) ${expected} optlen=4 `)
  })

  it('without a thread, fds and paths stay unresolved', () => {
    const none = fixedContext({ hasThread: false, fds })
    expect(renderEvtArgs(makeEvent(6, [W.fd(3), W.u32(1)], { tid: -1 }), none)).toBe('fd=3 size=1 ')
    expect(renderEvtArgs(makeEvent(6, [W.fd(-2), W.u32(1)], { tid: -1 }), none)).toBe('fd=-2 size=1 ')
  })
})

describe('evt.type, evt.dir, evt.arg', () => {
  it('names generic events from the 0.29.3 syscall table', () => {
    expect(evtTypeName(makeEvent(0, [W.u16(5), W.u16(2)]))).toBe('open')
    expect(evtTypeName(makeEvent(1, [W.u16(292)]))).toBe('llseek')
    expect(evtTypeName(makeEvent(1, [W.u16(0)]))).toBe('<unknown>')
    expect(evtTypeName(makeEvent(233, []))).toBe('signaldeliver')
    expect(evtTypeName(makeEvent(3, []))).toBe('open')
  })
  it('direction from the code parity', () => {
    expect(evtDir(makeEvent(2, []))).toBe('>')
    expect(evtDir(makeEvent(3, []))).toBe('<')
  })
  it('evt.arg gives the resolved form when there is one', () => {
    const ev = makeEvent(3, [W.fd(-2), W.path('rel'), W.u32(3), W.u32(0), W.u32(0)])
    expect(evtArg(ev, 'fd', ctx)).toBe('ENOENT')
    expect(evtArg(ev, 'name', ctx)).toBe('/home/x/rel')
    expect(evtArg(ev, 2, ctx)).toBe('O_RDWR')
    expect(evtArg(ev, 'mode', ctx)).toBe('0')
    expect(evtArg(ev, 'nosuch', ctx)).toBeUndefined()
    expect(evtArg(ev, 9, ctx)).toBeUndefined()
  })
})
