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
const PPM_O_DIRECTORY = 0x400
const PPM_O_F_CREATED = 0x4000
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

/**
 * sinsp 0.29.3 parse_open_openat_creat_exit: the name, dirfd and flags come from the exit, unless the
 * stored enter has them and its name is non-empty and not "<NA>": then the ENTER wins (even when the exit
 * says otherwise, so the fd type follows the enter's O_DIRECTORY), keeping the exit's F_CREATED bit. An
 * exit without its enter still creates the fd. The old openat exit carries only the fd: without its enter
 * sysdig names it "<UNKNOWN>.". The device always comes from the exit.
 */
export function openExit(s: StateEngine, ev: ScapEvent): void {
  const t = s.tinfo
  if (t === undefined) return
  const enter = s.enterOf(ev)
  const np = s.np(ev)
  const fd = ev.int(0) ?? -1
  let name: string
  let dirfd: number | undefined // undefined: relative to the cwd (open, creat)
  let flags = 0
  let dev = 0
  switch (ev.type) {
    case OPEN_X:
      name = rawStr(ev, 1)
      flags = ev.int(2) ?? 0
      if (np > 4) dev = ev.int(4) ?? 0
      if (enter !== undefined && s.np(enter) >= 2 && enterNameUsable(enter, 0)) {
        name = rawStr(enter, 0)
        flags = withCreated(enter.int(1) ?? 0, flags)
      }
      break
    case CREAT_X:
      name = rawStr(ev, 1)
      if (np > 3) dev = ev.int(3) ?? 0
      if (enter !== undefined && s.np(enter) >= 1 && enterNameUsable(enter, 0)) name = rawStr(enter, 0)
      break
    case OPENAT_X:
      if (enter === undefined) {
        if (fd >= 0) s.fdinfo = addFd(s.threads, t, fd, fileFd('<UNKNOWN>.', 0, 0))
        return
      }
      name = rawStr(enter, 1)
      dirfd = enter.int(0) ?? 0
      flags = enter.int(2) ?? 0
      break
    default:
      if (np < 4) return
      dirfd = ev.int(1) ?? 0
      name = rawStr(ev, 2)
      flags = ev.int(3) ?? 0
      if (ev.type === OPENAT_2_X && np > 5) dev = ev.int(5) ?? 0
      if (enter !== undefined && s.np(enter) >= 3 && enterNameUsable(enter, 1)) {
        dirfd = enter.int(0) ?? 0
        name = rawStr(enter, 1)
        flags = withCreated(enter.int(2) ?? 0, flags)
      }
  }
  if (fd < 0) return
  const path =
    dirfd === undefined ? concatPaths(s.threads.cwd(t), name) : concatPaths(openatDir(s, name, dirfd), name)
  s.fdinfo = addFd(s.threads, t, fd, fileFd(path, flags, dev))
}

/** sinsp takes the enter's name when its parameter is not empty (a lone NUL counts) and not "<NA>". */
function enterNameUsable(enter: ScapEvent, i: number): boolean {
  const b = enter.bytes(i)
  return b !== undefined && b.length !== 0 && rawStr(enter, i) !== '<NA>'
}

function withCreated(enterFlags: number, exitFlags: number): number {
  return (exitFlags & PPM_O_F_CREATED) !== 0 ? enterFlags | PPM_O_F_CREATED : enterFlags
}

function fileFd(path: string, flags: number, dev: number): FdInfo {
  const f = new FdInfo()
  f.type = (flags & PPM_O_DIRECTORY) !== 0 ? FdType.DIRECTORY : FdType.FILE_V2
  f.openFlags = flags >>> 0
  f.dev = dev >>> 0
  f.name = path
  return f
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
