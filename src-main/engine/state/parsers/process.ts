/** Process lifecycle: clone/fork/vfork, execve, procexit, chdir/fchdir/getcwd, chroot, setsid. */
import type { ScapEvent } from '../../capture/scap-event'
import { concatPaths, normaliseCwd } from '../paths'
import type { StateEngine } from '../state-engine'
import { CL, cgroupsFromBytes, splitNul, ThreadInfo } from '../thread-info'
import { rawStr, openatDir } from './file'

/** sinsp CLONE_STALE_TIME_NS */
const CLONE_STALE_NS = 2_000_000_000

const CLONE_11_X = 15
const CLONE_16_X = 157
const CLONE_17_X = 217
const FORK_X = 183
const FORK_17_X = 219
const VFORK_X = 185
const VFORK_17_X = 221

const EXECVE_8_X = 13
const EXECVE_13_X = 155
const EXECVE_14_X = 173
const EXECVE_15_X = 215
const EXECVE_17_X = 283
const EXECVE_18_X = 289
const EXECVE_19_X = 293
const EXECVEAT_X = 331
const EXECVE_18_E = 288
const EXECVE_19_E = 292
const EXECVEAT_E = 330
const PPM_EXVAT_AT_EMPTY_PATH = 0x1000

/** Layout family of a clone exit: 11 (CLONE_11), 16, 17 or 20 parameters. */
function cloneGen(type: number): number {
  switch (type) {
    case CLONE_11_X:
      return 11
    case CLONE_16_X:
    case FORK_X:
    case VFORK_X:
      return 16
    case CLONE_17_X:
    case FORK_17_X:
    case VFORK_17_X:
      return 17
    default:
      return 20
  }
}

export const splitArgs = splitNul

function strParam(s: StateEngine, ev: ScapEvent, i: number): string {
  return i < s.np(ev) ? (ev.str(i) ?? '') : ''
}

function intParam(s: StateEngine, ev: ScapEvent, i: number): number {
  return i < s.np(ev) ? (ev.int(i) ?? 0) : 0
}

export function cloneExit(s: StateEngine, ev: ScapEvent): void {
  const type = ev.type
  const gen = cloneGen(type)
  let tid = ev.tid
  let childtid = intParam(s, ev, 0)
  const flags = intParam(s, ev, gen === 11 ? 8 : gen === 16 ? 13 : gen === 17 ? 14 : 15) >>> 0
  if (childtid < 0) return
  let vtid = tid
  let vpid = -1
  if (gen === 20) {
    vtid = intParam(s, ev, 18)
    vpid = intParam(s, ev, 19)
  }
  const inContainer = tid !== vtid
  let inverted = false
  let collision = false
  const threads = s.threads
  if (childtid === 0) {
    const cur = s.tinfo
    if (cur !== undefined && cur.cloneTs >= 0 && s.ts - cur.cloneTs > CLONE_STALE_NS) {
      threads.remove(tid, true)
      s.tinfo = undefined
    }
    const parenttid = (flags & CL.CLONE_THREAD) !== 0 ? intParam(s, ev, 4) : intParam(s, ev, 5)
    if (s.tinfo === undefined) {
      inverted = true
      childtid = tid
      tid = parenttid
    } else {
      if (inContainer) {
        s.tinfo.vtid = vtid
        s.tinfo.vpid = vpid
      }
      return
    }
  } else if (inContainer) {
    return
  }

  let ptinfo = threads.getOrCreate(tid)
  const validParent = !ptinfo.isFake()
  const child = threads.get(childtid)
  if (child !== undefined) {
    if ((child.flags & CL.INVERTED) !== 0) return
    threads.remove(childtid, true)
    collision = true
    s.count('tid-collision')
  }

  const t = new ThreadInfo()
  t.tid = childtid
  t.ptid = tid
  const argsRaw = ev.bytes(2)
  if (validParent) {
    t.comm = ptinfo.comm
    t.exe = ptinfo.exe
    t.exepath = ptinfo.exepath
    t.root = ptinfo.root
    t.sid = ptinfo.sid
    t.vpgid = ptinfo.vpgid
    t.tty = ptinfo.tty
    t.loginuid = ptinfo.loginuid
    t.exeFlags = ptinfo.exeFlags
    if ((flags & CL.CLONE_THREAD) === 0) t.env = ptinfo.env
  } else {
    // sinsp retries the parent from /proc (offline: another made-up entry) and then fills both the
    // child and that parent from the event.
    threads.remove(tid, true)
    collision = true
    ptinfo = threads.getOrCreate(tid)
    t.exe = strParam(s, ev, 1)
    t.comm = gen === 11 || gen === 16 ? t.exe : strParam(s, ev, 13)
    t.setArgsRaw(argsRaw)
    ptinfo.comm = t.comm
    ptinfo.exe = t.exe
    ptinfo.exepath = t.exepath
    ptinfo.setArgsRaw(argsRaw)
  }
  t.pid = intParam(s, ev, 4)
  t.flags = flags
  if ((flags & CL.CLONE_THREAD) === 0) {
    t.pid = childtid
    const table = threads.fdTable(ptinfo)
    if (table !== undefined) for (const [fd, f] of table) t.fds.set(fd, f.clone())
    t.cwd = threads.cwd(ptinfo)
  }
  if (inverted) t.flags |= CL.INVERTED
  t.exe = strParam(s, ev, 1)
  t.comm = gen === 11 || gen === 16 ? t.exe : strParam(s, ev, 13)
  t.setArgsRaw(argsRaw)
  t.fdlimit = intParam(s, ev, 7)
  if (gen !== 11) {
    t.pfmajor = intParam(s, ev, 8)
    t.pfminor = intParam(s, ev, 9)
    t.vmsizeKb = intParam(s, ev, 10)
    t.vmrssKb = intParam(s, ev, 11)
    t.vmswapKb = intParam(s, ev, 12)
  }
  const uidIdx = gen === 11 ? 9 : gen === 16 ? 14 : gen === 17 ? 15 : 16
  t.uid = intParam(s, ev, uidIdx) >>> 0
  t.gid = intParam(s, ev, uidIdx + 1) >>> 0
  if (inContainer) {
    t.vtid = vtid
    t.vpid = vpid
  } else {
    t.vtid = t.tid
    t.vpid = t.pid
  }
  if (gen === 20) {
    t.cgroups = cgroupsFromBytes(ev.bytes(14))
    s.containers.resolve(t)
  }
  t.cloneTs = s.ts
  threads.add(t)
  if (collision) {
    // sinsp re-runs reset so the event points at the (possibly replaced) thread.
    s.tinfo = threads.getOrCreate(ev.tid)
  }
}

export function execveExit(s: StateEngine, ev: ScapEvent): void {
  const type = ev.type
  const np = s.np(ev)
  if (intParam(s, ev, 0) < 0) return
  const t = s.tinfo
  if (t === undefined) {
    s.count('execve-unknown-thread')
    return
  }
  t.exe = strParam(s, ev, 1)
  if (type === EXECVE_8_X || type === EXECVE_13_X || type === EXECVE_14_X) t.comm = t.exe
  else t.comm = strParam(s, ev, 13)
  t.setArgsRaw(np > 2 ? ev.bytes(2) : undefined)
  t.pid = intParam(s, ev, 4)
  if (t.ptid === -1) t.ptid = intParam(s, ev, 5)
  t.fdlimit = intParam(s, ev, 7)
  if (type !== EXECVE_8_X) {
    t.pfmajor = intParam(s, ev, 8)
    t.pfminor = intParam(s, ev, 9)
    t.vmsizeKb = intParam(s, ev, 10)
    t.vmrssKb = intParam(s, ev, 11)
    t.vmswapKb = intParam(s, ev, 12)
  }
  if (type === EXECVE_14_X) t.env = splitArgs(ev.bytes(13))
  else if (type === EXECVE_15_X) t.env = splitArgs(ev.bytes(14))
  else if (type !== EXECVE_8_X && type !== EXECVE_13_X) {
    if (np > 15) t.env = splitArgs(ev.bytes(15))
    if (np > 14) t.cgroups = cgroupsFromBytes(ev.bytes(14))
    s.containers.resolve(t)
  }
  if (type === EXECVE_17_X || type === EXECVE_18_X || type === EXECVE_19_X || type === EXECVEAT_X) {
    t.tty = intParam(s, ev, 16)
  }
  if (type === EXECVE_18_X || type === EXECVE_19_X || type === EXECVEAT_X) {
    const e = s.enterOf(ev)
    if (e !== undefined) t.exepath = exepathFrom(s, e, t.cwd)
    else if (s.isModernExit(ev)) {
      // Exit-only captures: the kernel's resolved path, else the filename the exit repeats.
      const te = ev.paramIndex('trusted_exepath')
      const fn = ev.paramIndex('filename')
      const trusted = te >= 0 ? rawStr(ev, te) : ''
      if (trusted !== '') t.exepath = trusted
      else if (fn >= 0) t.exepath = concatPaths(t.cwd, rawStr(ev, fn))
    }
  }
  if (type === EXECVE_19_X || type === EXECVEAT_X) t.vpgid = intParam(s, ev, 17)
  if (np > 18) t.loginuid = intParam(s, ev, 18) >>> 0
  // sinsp sets the exe_* booleans only when the exit has the flags parameter (index 19).
  if (np > 19) t.exeFlags = intParam(s, ev, 19) >>> 0
  const keep = t.flags & (CL.PIPE_SRC | CL.PIPE_DST | CL.INVERTED)
  t.flags = CL.ACTIVE | keep | CL.NAME_CHANGED
}

function exepathFrom(s: StateEngine, e: ScapEvent, cwd: string): string {
  if (e.type === EXECVE_18_E || e.type === EXECVE_19_E) {
    const name = rawStr(e, 0)
    if (name.startsWith('<NA>')) return '<NA>'
    return concatPaths(cwd, name)
  }
  if (e.type === EXECVEAT_E) {
    const dirfd = e.int(0) ?? 0
    const name = rawStr(e, 1)
    const flags = e.int(2) ?? 0
    if ((flags & PPM_EXVAT_AT_EMPTY_PATH) !== 0 && name === '') {
      const t = s.tinfo
      return t === undefined ? '' : (s.threads.getFd(t, dirfd)?.name ?? '')
    }
    return concatPaths(openatDir(s, name, dirfd), name)
  }
  return ''
}

export function procexit(s: StateEngine): void {
  const t = s.tinfo
  if (t === undefined) return
  t.flags |= CL.CLOSED
  s.scheduleThreadRemoval(t.tid)
}

export function chdirExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined || intParam(s, ev, 0) < 0) return
  setCwd(s, rawStr(ev, 1))
}

export function fchdirExit(s: StateEngine, ev: ScapEvent): void {
  const f = s.fdinfo
  if (intParam(s, ev, 0) < 0 || f === undefined || s.tinfo === undefined) return
  setCwd(s, f.name)
}

export function getcwdExit(s: StateEngine, ev: ScapEvent): void {
  if (intParam(s, ev, 0) < 0 || s.tinfo === undefined) return
  setCwd(s, rawStr(ev, 1))
}

/** sinsp set_cwd: joined onto the main thread's cwd. */
function setCwd(s: StateEngine, path: string): void {
  const t = s.tinfo
  if (t === undefined) return
  const m = s.threads.main(t)
  if (m !== undefined) m.cwd = normaliseCwd(m.cwd, path)
}

export function chrootExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined || intParam(s, ev, 0) !== 0) return
  const p = rawStr(ev, 1)
  t.root = p.startsWith('/') ? p : concatPaths(s.threads.cwd(t), p)
  s.containers.resolve(t)
}

export function setsidExit(s: StateEngine, ev: ScapEvent): void {
  const res = intParam(s, ev, 0)
  if (res >= 0 && s.tinfo !== undefined) s.tinfo.sid = res
}

/** setuid/setgid (enter holds the id) and setresuid/setresgid (enter holds ruid, euid, suid). */
export function setIdExit(s: StateEngine, ev: ScapEvent, which: 'uid' | 'gid', idx: number): void {
  if (intParam(s, ev, 0) < 0) return
  const e = s.enterOf(ev)
  const t = s.tinfo
  if (t === undefined) return
  let v: number
  if (e !== undefined) v = (e.int(idx) ?? -1) >>> 0
  else if (s.isModernExit(ev)) v = (ev.int(idx + 1) ?? -1) >>> 0
  else return
  if (idx === 1 && v === 0xffffffff) return
  if (which === 'uid') t.uid = v
  else t.gid = v
}
