/** File-descriptor syscalls: open family, close, dup, fcntl(F_DUPFD), pipe and the single-fd creators. */
import { FdType } from '../../capture/capture-types'
import type { ScapEvent } from '../../capture/scap-event'
import { FD_CLOSE_CANCELED, FD_CLOSE_IN_PROGRESS, FdInfo } from '../fd-info'
import { addFd, CANCELED_FD_NUMBER } from '../fd-table'
import { concatPaths } from '../paths'
import type { StateEngine } from '../state-engine'
import { CL } from '../thread-info'

const OPEN_X = 3
const CREAT_X = 59
const OPENAT_X = 103
const OPENAT_2_X = 307
const OPENAT2_X = 327
const PPM_O_DIRECTORY = 0x400
const AT_FDCWD = -100
const PPM_FCNTL_F_DUPFD = 1
const PPM_FCNTL_F_DUPFD_CLOEXEC = 26

/** A string parameter as one char per byte (paths are sanitised bytewise, like sinsp). */
export function rawStr(ev: ScapEvent, i: number): string {
  const b = ev.bytes(i)
  if (b === undefined) return ''
  let end = 0
  while (end < b.length && b[end] !== 0) end++
  return b.toString('latin1', 0, end)
}

/** sinsp parse_openat_dir: the directory a *at path is relative to (and, like sinsp, the dirfd's fd). */
export function openatDir(s: StateEngine, name: string, dirfd: number): string {
  const t = s.tinfo
  if (t === undefined) return ''
  if (name.startsWith('/')) return '.'
  if (dirfd === AT_FDCWD) return s.threads.cwd(t)
  const f = s.threads.getFd(t, dirfd)
  s.fdinfo = f
  if (f === undefined) return '<UNKNOWN>'
  return f.name + '/'
}

/** The path an open-family exit refers to (resolved like sinsp), or undefined when it cannot be known. */
export function openExitPath(
  s: StateEngine,
  ev: ScapEvent,
  enter: ScapEvent | undefined
): string | undefined {
  const t = s.tinfo
  if (t === undefined) return undefined
  const np = s.np(ev)
  switch (ev.type) {
    case OPEN_X:
    case CREAT_X:
      return concatPaths(s.threads.cwd(t), rawStr(ev, 1))
    case OPENAT_X: {
      if (enter === undefined) return undefined
      const name = rawStr(enter, 1)
      return concatPaths(openatDir(s, name, enter.int(0) ?? 0), name)
    }
    case OPENAT_2_X:
    case OPENAT2_X: {
      if (np < 3) return undefined
      const name = rawStr(ev, 2)
      return concatPaths(openatDir(s, name, ev.int(1) ?? 0), name)
    }
    default:
      return undefined
  }
}

export function openExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined) return
  let enter: ScapEvent | undefined
  if (ev.type !== OPENAT_2_X && ev.type !== OPENAT2_X) {
    enter = s.enterOf(ev)
    // Exit-only captures (current drivers) carry everything in the exit.
    if (enter === undefined && !(s.isModernExit(ev) && ev.type !== OPENAT_X)) return
  }
  const np = s.np(ev)
  const fd = ev.int(0) ?? -1
  let flags = 0
  let dev = 0
  if (ev.type === OPEN_X) {
    flags = ev.int(2) ?? 0
    if (np > 4) dev = ev.int(4) ?? 0
  } else if (ev.type === CREAT_X) {
    if (np > 3) dev = ev.int(3) ?? 0
  } else if (ev.type === OPENAT_X) {
    flags = enter?.int(2) ?? 0
  } else {
    flags = ev.int(3) ?? 0
    if (ev.type === OPENAT_2_X && np > 5) dev = ev.int(5) ?? 0
  }
  const path = openExitPath(s, ev, enter)
  if (path === undefined || fd < 0) return
  const f = new FdInfo()
  f.type = (flags & PPM_O_DIRECTORY) !== 0 ? FdType.DIRECTORY : FdType.FILE_V2
  f.openFlags = flags >>> 0
  f.dev = dev >>> 0
  f.name = path
  s.fdinfo = addFd(s.threads, t, fd, f)
}

export function closeEnter(s: StateEngine): void {
  const t = s.tinfo
  if (t === undefined) return
  const f = s.threads.getFd(t, t.lastEventFd)
  s.fdinfo = f
  if (f !== undefined) f.flags |= FD_CLOSE_IN_PROGRESS
}

export function closeExit(s: StateEngine, ev: ScapEvent): void {
  const res = ev.int(0) ?? 0
  const f = s.fdinfo
  const t = s.tinfo
  if (res >= 0) {
    if (f === undefined || t === undefined) {
      s.count('close-unknown-fd')
      return
    }
    let fd = t.lastEventFd
    if ((f.flags & FD_CLOSE_CANCELED) !== 0) {
      f.flags &= ~FD_CLOSE_CANCELED
      fd = CANCELED_FD_NUMBER
    }
    s.scheduleFdRemoval(t.tid, fd)
  } else if (f !== undefined) {
    f.flags &= ~FD_CLOSE_IN_PROGRESS
  }
}

export function dupExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined) return
  const res = ev.int(0) ?? -1
  if (res < 0) return
  if (res === 0) t.flags |= CL.PIPE_DST
  if (res === 1) t.flags |= CL.PIPE_SRC
  const f = s.fdinfo
  if (f === undefined) return
  s.fdinfo = addFd(s.threads, t, res, f)
}

export function fcntlEnter(s: StateEngine, ev: ScapEvent): void {
  if (s.tinfo === undefined) return
  const cmd = ev.int(1) ?? 0
  if (cmd === PPM_FCNTL_F_DUPFD || cmd === PPM_FCNTL_F_DUPFD_CLOEXEC) s.storeEnter(ev)
}

export function fcntlExit(s: StateEngine, ev: ScapEvent): void {
  const res = ev.int(0) ?? -1
  if (s.enterOf(ev) === undefined) return
  const t = s.tinfo
  const f = s.fdinfo
  if (res < 0 || t === undefined || f === undefined) return
  s.fdinfo = addFd(s.threads, t, res, f)
}

export function pipeExit(s: StateEngine, ev: ScapEvent): void {
  const res = ev.int(0) ?? -1
  const t = s.tinfo
  if (res < 0 || t === undefined) return
  const fd1 = ev.int(1) ?? -1
  const fd2 = ev.int(2) ?? -1
  const f = new FdInfo()
  f.type = FdType.FIFO
  f.ino = ev.u64String(3) ?? '0'
  s.fdinfo = addFd(s.threads, t, fd1, f)
  s.fdinfo = addFd(s.threads, t, fd2, f)
}

/** eventfd, signalfd, timerfd_create, inotify_init, epoll_create, bpf…: the result is a new typed fd. */
export function singleFdExit(s: StateEngine, ev: ScapEvent, type: number): void {
  const t = s.tinfo
  const fd = ev.int(0) ?? -1
  if (t === undefined || fd < 0) return
  const f = new FdInfo()
  f.type = type
  s.fdinfo = addFd(s.threads, t, fd, f)
}
