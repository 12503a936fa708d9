/**
 * A synthetic capture whose host name, process names, command lines, executable, working directory and file
 * names carry HTML/script payloads and Markdown-breaking text (pipes, backtick fences, newlines, a bidi
 * override). A child of an interactive bash reads /etc/shadow (the shadow-file rule fires and its output
 * carries the payloads), creates a hostile-named file and connects to 203.0.113.5:4444.
 */
import * as W from '../fixtures/scap-writer'

export const IMG = '<img src=x onerror=alert(1)>'
export const SCRIPT = '</script><script>alert(2)</script>'
export const MD_BREAK = 'a|b `tick` ```fence'
export const NEWLINE = 'line1\n## injected heading'
export const BIDI = 'evil\u202Etxt.exe'
export const HOSTILE_FILE = `/tmp/${IMG}|${BIDI}.txt`
export const HOSTILE_COMM = `x${IMG}`

const O_RDONLY = 1 // PPM_O_RDONLY
const O_WRONLY_CREAT = 2 | 4 // PPM_O_WRONLY | PPM_O_CREAT

export function hostileReportCapture(): Buffer {
  const w = new W.ScapWriter()
  w.shb({ major: 1, minor: 2 })
  w.mi({ cpus: 4, memory: 4 * 2 ** 30, maxPid: 32768, hostname: `web${IMG}`, bootTs: 0n })
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
        cwd: '/root/',
        tty: 34816
      },
      {
        tid: 100,
        pid: 100,
        ptid: 50,
        comm: HOSTILE_COMM,
        exe: `/tmp/${SCRIPT}`,
        exepath: `/tmp/${SCRIPT}`,
        args: ['-c', IMG, SCRIPT, MD_BREAK, NEWLINE, BIDI],
        cwd: `/tmp/${IMG}/`,
        tty: 34816
      }
    ],
    { version: 9, tail: 'modern' }
  )
  w.fds(50, [W.fdFile(0, '/dev/pts/0')])
  let t = 1_700_000_000_000_000_000n
  const ev = (code: number, params: Buffer[], tid = 100): void => {
    t += 1_000_000n
    w.ev(code, { tid, ts: t, params })
  }
  for (let i = 0; i < 3; i++) {
    ev(306, [W.fd(-100), W.path('/etc/shadow'), W.u32(O_RDONLY), W.u32(0)])
    ev(307, [W.fd(3), W.fd(-100), W.path('/etc/shadow'), W.u32(O_RDONLY), W.u32(0), W.u32(0)])
    ev(6, [W.fd(3), W.u32(4096)])
    ev(7, [W.errno(40), W.bytes(`root:${IMG}${SCRIPT}`)])
    ev(4, [W.fd(3)])
    ev(5, [W.errno(0)])
  }
  ev(306, [W.fd(-100), W.path(HOSTILE_FILE), W.u32(O_WRONLY_CREAT), W.u32(0o644)])
  ev(307, [W.fd(4), W.fd(-100), W.path(HOSTILE_FILE), W.u32(O_WRONLY_CREAT), W.u32(0o644), W.u32(0)])
  ev(8, [W.fd(4), W.u32(20)])
  ev(9, [W.errno(20), W.bytes(SCRIPT.slice(0, 20))])
  ev(4, [W.fd(4)])
  ev(5, [W.errno(0)])
  ev(18, [W.u32(2), W.u32(1), W.u32(0)])
  ev(19, [W.fd(5)])
  ev(22, [W.fd(5), W.sockaddr4('203.0.113.5', 4444)])
  ev(23, [W.errno(0), W.tuple4('10.0.0.5', 40000, '203.0.113.5', 4444)])
  ev(8, [W.fd(5), W.u32(35)])
  ev(9, [W.errno(35), W.bytes(SCRIPT)])
  for (let i = 0; i < 10; i++) {
    ev(6, [W.fd(0), W.u32(10)], 50)
    ev(7, [W.errno(1), W.bytes('x')], 50)
  }
  return w.toBuffer()
}
