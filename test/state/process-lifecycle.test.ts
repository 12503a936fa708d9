import { describe, expect, it } from 'vitest'
import { base, checked } from './harness'
import { execve, fork, procexit, read } from './events'

const FMT =
  '*%evt.type %evt.dir %thread.tid %proc.pid %proc.ppid %proc.name %proc.pname %proc.cmdline %proc.exepath %user.name'

const BASH = {
  tid: 100,
  pid: 100,
  ptid: 1,
  comm: 'bash',
  exe: '-bash',
  exepath: '/bin/bash',
  cwd: '/home/alice',
  uid: 1000,
  gid: 1000
}
const INIT = { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exepath: '/sbin/init', cwd: '/' }

describe('state: clone, execve, exit', () => {
  it('a child gets its parent, then its own program after execve; a failed execve changes nothing', async () => {
    const w = base([INIT, BASH])
    const child = { tid: 200, pid: 200, ptid: 100, comm: 'bash', cwd: '/home/alice', uid: 1000, gid: 1000 }
    fork(w, BASH, child)
    execve(w, { ...child, comm: 'cat', exe: 'cat', args: ['/etc/hosts'] }, '/bin/cat')
    execve(w, { ...child, comm: 'nope', exe: 'nope', args: [] }, '/bin/nope', -2)
    read(w, 200, 0)
    const out = await checked(w.toBuffer(), FMT, 'thread.tid=200')
    expect(out).toEqual([
      // the child inherits the parent's exepath until its own execve
      'clone < 200 200 100 bash bash bash /bin/bash alice',
      'execve > 200 200 100 bash bash bash /bin/bash alice',
      'execve < 200 200 100 cat bash cat /etc/hosts /bin/cat alice',
      'execve > 200 200 100 cat bash cat /etc/hosts /bin/cat alice',
      'execve < 200 200 100 cat bash cat /etc/hosts /bin/cat alice',
      'read > 200 200 100 cat bash cat /etc/hosts /bin/cat alice',
      'read < 200 200 100 cat bash cat /etc/hosts /bin/cat alice'
    ])
  })

  it('a recycled pid is a new process: new program, new parent, new surrogate id', async () => {
    const w = base([INIT, BASH])
    const first = { tid: 300, pid: 300, ptid: 100, comm: 'bash', cwd: '/', uid: 1000, gid: 1000 }
    fork(w, BASH, first)
    execve(w, { ...first, comm: 'sleep', exe: 'sleep', args: ['1'] }, '/bin/sleep')
    procexit(w, 300)
    read(w, 100, 0)
    // pid 300 comes back as a child of systemd
    const second = { tid: 300, pid: 300, ptid: 1, comm: 'systemd', cwd: '/', uid: 0, gid: 0 }
    fork(w, INIT, second)
    execve(w, { ...second, comm: 'cron', exe: 'cron', args: [] }, '/usr/sbin/cron')
    read(w, 300, 0)
    const out = await checked(
      w.toBuffer(),
      '*%evt.type %evt.dir %proc.name %proc.pname %user.name',
      'thread.tid=300 and evt.type=read'
    )
    expect(out).toEqual(['read > cron systemd root', 'read < cron systemd root'])
  })

  it('a thread unknown to the capture is "<NA>" with pid = tid until an execve names it (uid stays unknown)', async () => {
    const w = base([INIT])
    read(w, 4242, 0)
    execve(w, { tid: 4242, pid: 4242, ptid: 1, comm: 'late', exe: 'late' }, '/usr/bin/late')
    const out = await checked(w.toBuffer(), FMT)
    expect(out[0]).toBe('read > 4242 4242 -1 <NA> <NA> <NA>  <NA>')
    expect(out[out.length - 1]).toBe('execve < 4242 4242 1 late systemd late /usr/bin/late <NA>')
  })
})

describe('state: anomaly counters', () => {
  it('counts exits without enters, enters without exits, unknown fds and made-up threads', async () => {
    const { StateEngine } = await import('../../src-main/engine/state/state-engine')
    const { readCaptureBuffer } = await import('../../src-main/engine/capture/read-capture')
    const { fd, errno, u32, bytes } = await import('../fixtures/scap-writer')
    const { tick } = await import('./events')
    const w = base([INIT, BASH])
    w.ev(7, { tid: 100, ts: tick(), params: [errno(1), bytes('x')] }) // read exit, no enter
    w.ev(6, { tid: 100, ts: tick(), params: [fd(42), u32(1)] }) // read enter on an unknown fd…
    w.ev(6, { tid: 100, ts: tick(), params: [fd(42), u32(1)] }) // …and again without its exit
    w.ev(7, { tid: 100, ts: tick(), params: [errno(1), bytes('x')] })
    w.ev(7, { tid: 777, ts: tick(), params: [errno(1), bytes('x')] }) // a thread nobody described
    const s = new StateEngine()
    await readCaptureBuffer(w.toBuffer(), {
      section: () => {
        s.section()
      },
      thread: (t) => {
        s.thread(t)
      },
      fd: (t, f) => {
        s.fd(t, f)
      },
      event: (ev) => {
        s.process(ev)
        return true
      }
    })
    const c = s.anomalyCounts()
    expect(c['exit-without-enter']).toBe(2)
    expect(c['enter-without-exit']).toBe(1)
    expect(c['fd-unknown']).toBe(1)
    expect(c['thread-unknown']).toBe(1)
  })
})
