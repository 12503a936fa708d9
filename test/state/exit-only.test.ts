/**
 * Captures from current drivers carry exits only, with the fd and the other arguments in the exit's own
 * parameters (libs HEAD layouts). The state engine then takes them from there; 2022-style captures (enter +
 * exit) are unaffected, which the sysdig compatibility test guards.
 */
import { describe, expect, it } from 'vitest'
import { bytes, errno, fd, path, str, tuple4, u32, u64 } from '../fixtures/scap-writer'
import { tick } from './events'
import { base, lines } from './harness'

describe('state: exit-only captures', () => {
  it('attributes fds from the exit parameters', async () => {
    const w = base([
      { tid: 1, pid: 1, ptid: 0, comm: 'init', cwd: '/' },
      { tid: 50, pid: 50, ptid: 1, comm: 'app', cwd: '/opt/app' }
    ])
    // openat exit (7 params: fd, dirfd, name, flags, mode, dev, ino)
    w.ev(307, {
      tid: 50,
      ts: tick(),
      params: [fd(3), fd(-100), path('conf/app.ini'), u32(1), u32(0), u32(0), u64(99)]
    })
    // read exit with fd (res, data, fd, size)
    w.ev(7, { tid: 50, ts: tick(), params: [errno(4), bytes('data'), fd(3), u32(4)] })
    // socket exit (fd, domain, type, proto, flags) then connect exit (res, tuple, fd, addr)
    w.ev(19, { tid: 50, ts: tick(), params: [fd(4), u32(2), u32(1), u32(0), u32(0)] })
    w.ev(23, {
      tid: 50,
      ts: tick(),
      params: [
        errno(0),
        tuple4('10.0.0.5', 40000, '1.2.3.4', 443),
        fd(4),
        bytes(Buffer.from([2, 1, 2, 3, 4, 0xbb, 0x01]))
      ]
    })
    // close exit (res, fd)
    w.ev(5, { tid: 50, ts: tick(), params: [errno(0), fd(3)] })
    w.ev(7, { tid: 50, ts: tick(), params: [errno(4), bytes('data'), fd(3), u32(4)] })
    const out = await lines(w.toBuffer(), '*%evt.type %fd.num %fd.type %fd.name %fd.sip')
    expect(out).toEqual([
      'openat 3 file /opt/app/conf/app.ini <NA>',
      'read 3 file /opt/app/conf/app.ini <NA>',
      'socket 4 ipv4  <NA>',
      'connect 4 ipv4 10.0.0.5:40000->1.2.3.4:443 1.2.3.4',
      'close 3 file /opt/app/conf/app.ini <NA>',
      'read 3 <NA>  <NA>'
    ])
  })

  it('takes the executable path from a current execve exit', async () => {
    const w = base([
      { tid: 1, pid: 1, ptid: 0, comm: 'init', cwd: '/' },
      { tid: 60, pid: 60, ptid: 1, comm: 'sh', cwd: '/' }
    ])
    const p = (n: number): Buffer => Buffer.alloc(n)
    w.ev(293, {
      tid: 60,
      ts: tick(),
      params: [
        errno(0),
        str('curl'),
        bytes('-s\0'),
        fd(60),
        fd(60),
        fd(1),
        str('/'),
        u64(1024),
        u64(0),
        u64(0),
        u32(0),
        u32(0),
        u32(0),
        str('curl'),
        bytes(''),
        bytes(''),
        u32(0),
        fd(60),
        u32(0xffffffff),
        u32(0),
        u64(0),
        u64(0),
        u64(0),
        u64(0),
        p(8),
        p(8),
        u32(0),
        path('/usr/bin/curl'),
        fd(60),
        u32(0),
        path('curl')
      ]
    })
    const out = await lines(w.toBuffer(), '*%evt.type %proc.name %proc.cmdline %proc.exepath')
    expect(out).toEqual(['execve curl curl -s /usr/bin/curl'])
  })
})
