import { describe, expect, it } from 'vitest'
import { fdFile, fdIpv4, fdIpv4Serv } from '../fixtures/scap-writer'
import { chdir, close, dup, openat, read, tcpConnect } from './events'
import { base, checked } from './harness'

const P = {
  tid: 100,
  pid: 100,
  ptid: 1,
  comm: 'app',
  exepath: '/usr/bin/app',
  cwd: '/srv/data',
  uid: 1000,
  gid: 1000
}
const FDS = '*%evt.type %evt.dir %fd.num %fd.type %fd.name %evt.res'

describe('state: fd lifecycle', () => {
  const cases: {
    name: string
    build: (w: ReturnType<typeof base>) => void
    filter?: string
    want: string[]
  }[] = [
    {
      name: 'openat relative to the cwd, then read and close; after the close the number is free',
      build: (w) => {
        openat(w, 100, -100, 'logs/../app.log', 3)
        read(w, 100, 3)
        close(w, 100, 3)
        read(w, 100, 3)
      },
      want: [
        'openat > -1 <NA> <NA> <NA>',
        'openat < 3 file /srv/data/app.log SUCCESS',
        'read > 3 file /srv/data/app.log <NA>',
        'read < 3 file /srv/data/app.log SUCCESS',
        'close > 3 file /srv/data/app.log <NA>',
        // the fd is dropped only before the next event: the close exit still shows it
        'close < 3 file /srv/data/app.log SUCCESS',
        'read > 3 <NA> <NA> <NA>',
        'read < 3 <NA>  SUCCESS'
      ]
    },
    {
      name: 'a failed open names the path it tried; dup copies the fd',
      build: (w) => {
        openat(w, 100, -100, '/etc/shadow', -13)
        openat(w, 100, -100, '/etc/hosts', 4)
        dup(w, 100, 4, 5)
        read(w, 100, 5)
      },
      filter: 'evt.dir=<',
      want: [
        'openat -1 <NA> /etc/shadow EACCES',
        'openat 4 file /etc/hosts SUCCESS',
        'dup 5 file /etc/hosts SUCCESS',
        'read 5 file /etc/hosts SUCCESS'
      ]
    },
    {
      name: 'chdir moves the base of relative paths; openat with a dirfd resolves against that directory',
      build: (w) => {
        chdir(w, 100, '../www/./html/')
        openat(w, 100, -100, 'index.html', 6)
        openat(w, 100, -100, '/var', 7, 0x400 | 1)
        openat(w, 100, 7, 'log//syslog', 8)
      },
      filter: 'evt.dir=< and evt.type=openat',
      want: [
        'openat 6 file /srv/www/html/index.html SUCCESS',
        'openat 7 directory /var SUCCESS',
        'openat 8 file /var/log/syslog SUCCESS'
      ]
    },
    {
      name: 'fds from the initial table: files by name, sockets with client/server orientation',
      build: (w) => {
        read(w, 100, 3)
        read(w, 100, 4)
        read(w, 100, 9)
      },
      filter: 'evt.dir=>',
      want: [
        'read 3 file /etc/passwd <NA>',
        'read 4 ipv4 10.0.0.9:51000->10.0.0.5:80 <NA>',
        'read 9 ipv4 0.0.0.0:80 <NA>'
      ]
    },
    {
      name: 'socket + connect name the fd by its tuple',
      build: (w) => {
        tcpConnect(w, 100, 10, '93.184.216.34', 443)
        read(w, 100, 10)
      },
      filter: 'evt.type=read',
      want: [
        'read > 10 ipv4 10.0.0.5:40000->93.184.216.34:443 <NA>',
        'read < 10 ipv4 10.0.0.5:40000->93.184.216.34:443 SUCCESS'
      ]
    }
  ]

  for (const c of cases) {
    it(c.name, async () => {
      const w = base([{ tid: 1, pid: 1, ptid: 0, comm: 'systemd', cwd: '/' }, P])
      w.fds(100, [
        fdFile(3, '/etc/passwd'),
        fdIpv4(4, '10.0.0.5', 80, '10.0.0.9', 51000),
        fdIpv4Serv(9, '0.0.0.0', 80)
      ])
      c.build(w)
      const fmt = c.filter?.includes('evt.dir') === true ? FDS.replace(' %evt.dir', '') : FDS
      expect(await checked(w.toBuffer(), fmt, c.filter)).toEqual(c.want)
    })
  }
})
