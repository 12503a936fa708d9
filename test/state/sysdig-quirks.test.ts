/**
 * Fd naming that follows sysdig 0.29.3's parsers even where they look odd: a connect enter names a unix
 * socket before the kernel answers (so a failed connect keeps the path), open exits take the name and type
 * from their enter, and an exit without its enter still creates the fd. Every case is checked line by
 * line against `sysdig -r` on the same synthetic capture when sysdig is installed.
 */
import { describe, expect, it } from 'vitest'
import { empty, errno, fd, path, sockaddrUnix, u32, type ScapWriter } from '../fixtures/scap-writer'
import { close, read, tcpConnect, tick } from './events'
import { base, checked } from './harness'

const P = { tid: 100, pid: 100, ptid: 1, comm: 'app', cwd: '/srv/' }
const FMT = '*%evt.type %evt.dir %fd.num %fd.typechar %fd.l4proto %fd.name %evt.args'

function unixSocket(w: ScapWriter, tid: number, res: number): void {
  w.ev(18, { tid, ts: tick(), params: [u32(1), u32(1), u32(0)] })
  w.ev(19, { tid, ts: tick(), params: [fd(res)] })
}

function connect(w: ScapWriter, tid: number, n: number, addr: Buffer, res: number): void {
  w.ev(22, { tid, ts: tick(), params: [fd(n), addr] })
  w.ev(23, { tid, ts: tick(), params: [errno(res), empty()] })
}

function openPair(
  w: ScapWriter,
  tid: number,
  enter: [string, number] | null,
  exit: [number, string, number]
): void {
  if (enter !== null) w.ev(2, { tid, ts: tick(), params: [path(enter[0]), u32(enter[1]), u32(0)] })
  w.ev(3, {
    tid,
    ts: tick(),
    params: [fd(exit[0]), path(exit[1]), u32(exit[2]), u32(0), u32(0)]
  })
}

interface Case {
  name: string
  build: (w: ScapWriter) => void
  filter?: string
  want: string[]
}

const O_DIRECTORY = 0x400

const cases: Case[] = [
  {
    name: 'a unix connect that fails (ENOENT) keeps the path the enter named',
    build: (w) => {
      unixSocket(w, 100, 4)
      connect(w, 100, 4, sockaddrUnix('/var/run/nscd/socket'), -2)
      close(w, 100, 4)
    },
    want: [
      'socket > -1 4 <NA> <NA> domain=1(AF_LOCAL) type=1 proto=0 ',
      'socket < 4 u <NA>  fd=4(<u>) ',
      'connect > 4 u <NA> /var/run/nscd/socket fd=4(<u>/var/run/nscd/socket) addr=/var/run/nscd/socket ',
      'connect < 4 u <NA> NULL res=-2(ENOENT) tuple=NULL ',
      'close > 4 u <NA> /var/run/nscd/socket fd=4(<u>/var/run/nscd/socket) ',
      'close < 4 u <NA> /var/run/nscd/socket res=0 '
    ]
  },
  {
    name: 'a unix address given to connect on an IPv4 fd renames it and its l4 char goes',
    build: (w) => {
      tcpConnect(w, 100, 10, '93.184.216.34', 443)
      connect(w, 100, 10, sockaddrUnix('/tmp/peregrine.sock'), -22)
      read(w, 100, 10)
    },
    filter: 'fd.num=10 and evt.type in (connect, read)',
    want: [
      'connect > 10 4 <NA>  fd=10(<4>) addr=93.184.216.34:443 ',
      'connect < 10 4 tcp 10.0.0.5:40000->93.184.216.34:443 res=0 tuple=10.0.0.5:40000->93.184.216.34:443 ',
      'connect > 10 4 <NA> /tmp/peregrine.sock fd=10(<4>/tmp/peregrine.sock) addr=/tmp/peregrine.sock ',
      'connect < 10 4 <NA> NULL res=-22(EINVAL) tuple=NULL ',
      'read > 10 4 <NA> /tmp/peregrine.sock fd=10(<4>/tmp/peregrine.sock) size=16 ',
      'read < 10 4 <NA> /tmp/peregrine.sock res=4 data=data '
    ]
  },
  {
    name: "an open exit takes its name and flags from the enter (the enter's O_DIRECTORY makes a directory)",
    build: (w) => {
      openPair(w, 100, ['/var/lib', O_DIRECTORY], [5, '/var/other', 1])
      openPair(w, 100, ['data.bin', 1], [6, 'other.bin', O_DIRECTORY])
      read(w, 100, 5)
      read(w, 100, 6)
    },
    filter: 'evt.type in (open, read) and evt.dir=<',
    want: [
      'open < 5 d <NA> /var/lib fd=5(<d>/var/lib) name=/var/other flags=1(O_RDONLY) mode=0 dev=0 ',
      'open < 6 f <NA> /srv/data.bin fd=6(<f>/srv/data.bin) name=other.bin(/srv/other.bin) flags=1024(O_DIRECTORY) mode=0 dev=0 ',
      'read < 5 d <NA> /var/lib res=4 data=data ',
      'read < 6 f <NA> /srv/data.bin res=4 data=data '
    ]
  },
  {
    name: "a creat or openat exit also takes the enter's name, and a failed open names nothing",
    build: (w) => {
      w.ev(58, { tid: 100, ts: tick(), params: [path('made.txt'), u32(0o644)] })
      w.ev(59, { tid: 100, ts: tick(), params: [fd(8), path('other.txt'), u32(0o644), u32(0)] })
      w.ev(306, { tid: 100, ts: tick(), params: [fd(-100), path('conf.d'), u32(O_DIRECTORY), u32(0)] })
      w.ev(307, {
        tid: 100,
        ts: tick(),
        params: [fd(9), fd(-100), path('conf.other'), u32(1), u32(0), u32(0)]
      })
      openPair(w, 100, ['/var/l', 1], [-2, '/var/m', 1])
      read(w, 100, 8)
      read(w, 100, 9)
    },
    filter: 'evt.dir=<',
    want: [
      'creat < 8 f <NA> /srv/made.txt fd=8(<f>/srv/made.txt) name=other.txt(/srv/other.txt) mode=0644 dev=0 ',
      'openat < 9 d <NA> /srv/conf.d fd=9(<d>/srv/conf.d) dirfd=-100(AT_FDCWD) name=conf.other(/srv/conf.other) flags=1(O_RDONLY) mode=0 dev=0 ',
      'open < -1 f <NA> /var/m fd=-2(ENOENT) name=/var/m flags=1(O_RDONLY) mode=0 dev=0 ',
      'read < 8 f <NA> /srv/made.txt res=4 data=data ',
      'read < 9 d <NA> /srv/conf.d res=4 data=data '
    ]
  },
  {
    name: 'an open exit without its enter still creates the fd',
    build: (w) => {
      openPair(w, 100, null, [7, '/etc/hosts', 1])
      read(w, 100, 7)
    },
    filter: 'evt.type in (open, read) and evt.dir=<',
    want: [
      'open < 7 f <NA> /etc/hosts fd=7(<f>/etc/hosts) name=/etc/hosts flags=1(O_RDONLY) mode=0 dev=0 ',
      'read < 7 f <NA> /etc/hosts res=4 data=data '
    ]
  }
]

describe('state: sysdig 0.29.3 fd naming quirks', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const w = base([{ tid: 1, pid: 1, ptid: 0, comm: 'systemd', cwd: '/' }, P])
      c.build(w)
      expect(await checked(w.toBuffer(), FMT, c.filter)).toEqual(c.want)
    })
  }
})
