/**
 * A capture whose host name, process names, command lines, file names and socket endpoints carry HTML and
 * script payloads. Each payload would set window.__pwned if it ever ran; the UI must show it as text.
 * Events: a shell (bash) whose hostile child reads /etc/shadow (so a rule fires and its output carries the
 * payloads), writes a hostile-named file and connects out.
 */
import * as W from '../fixtures/scap-writer'

export const IMG = '<img src=x onerror="window.__pwned=1">'
export const SCRIPT = '</script><script>window.__pwned=2</script>'
export const IMG2 = '<svg onload="window.__pwned=3">'
export const HOSTILE_FILE = `/tmp/${IMG2}.txt`
export const HOSTILE_COMM = `x${IMG}`

const O_RDONLY = 1 // PPM_O_RDONLY
const O_WRONLY_CREAT = 2 | 4 // PPM_O_WRONLY | PPM_O_CREAT

export function hostileCapture(): Buffer {
  const w = new W.ScapWriter()
  w.shb({ major: 1, minor: 2 })
  w.mi({ cpus: 2, memory: 8 << 30, maxPid: 32768, hostname: `host${IMG}`, bootTs: 0n })
  w.users([{ uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' }], [{ gid: 0, name: 'root' }])
  w.procs(
    [
      { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/sbin/init', cwd: '/' },
      {
        tid: 50,
        pid: 50,
        ptid: 1,
        comm: 'bash',
        exe: '/bin/bash',
        exepath: '/bin/bash',
        args: ['-i'],
        cwd: '/root/'
      },
      {
        tid: 100,
        pid: 100,
        ptid: 50,
        comm: HOSTILE_COMM,
        exe: `/tmp/${SCRIPT}`,
        exepath: `/tmp/${SCRIPT}`,
        args: ['-c', IMG, SCRIPT],
        cwd: `/tmp/${IMG2}/`
      }
    ],
    { version: 9 }
  )
  w.fds(50, [W.fdFile(0, '/dev/pts/0')])
  let t = 1_700_000_000_000_000_000n
  const ev = (code: number, params: Buffer[], tid = 100): void => {
    t += 1_000_000n
    w.ev(code, { tid, ts: t, params })
  }
  for (let i = 0; i < 5; i++) {
    ev(306, [W.fd(-100), W.path('/etc/shadow'), W.u32(O_RDONLY), W.u32(0)])
    ev(307, [W.fd(3), W.fd(-100), W.path('/etc/shadow'), W.u32(O_RDONLY), W.u32(0), W.u32(0)])
    ev(6, [W.fd(3), W.u32(4096)])
    ev(7, [W.errno(10), W.bytes(`root:${IMG}`)])
    ev(4, [W.fd(3)])
    ev(5, [W.errno(0)])
  }
  ev(306, [W.fd(-100), W.path(HOSTILE_FILE), W.u32(O_WRONLY_CREAT), W.u32(0o644)])
  ev(307, [W.fd(4), W.fd(-100), W.path(HOSTILE_FILE), W.u32(O_WRONLY_CREAT), W.u32(0o644), W.u32(0)])
  ev(4, [W.fd(4)])
  ev(5, [W.errno(0)])
  ev(18, [W.u32(2), W.u32(1), W.u32(0)])
  ev(19, [W.fd(5)])
  ev(22, [W.fd(5), W.sockaddr4('203.0.113.5', 4444)])
  ev(23, [W.errno(0), W.tuple4('10.0.0.5', 40000, '203.0.113.5', 4444)])
  ev(6, [W.fd(5), W.u32(100)])
  ev(7, [W.errno(12), W.bytes(SCRIPT.slice(0, 12))])
  for (let i = 0; i < 20; i++) {
    ev(6, [W.fd(0), W.u32(10)], 50)
    ev(7, [W.errno(1), W.bytes('x')], 50)
  }
  return w.toBuffer()
}
