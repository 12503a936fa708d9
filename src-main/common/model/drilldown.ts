/**
 * Drill-down read models (issue 8), as the UI receives them: follow an I/O stream, interactive commands,
 * failed syscalls, top I/O. Plain JSON like types.ts; byte data travels as base64.
 */
import type { TimeNs } from './types'

export interface StreamChunk {
  num: number
  ts: TimeNs
  /** 'in' = read/recv, 'out' = write/send */
  dir: 'in' | 'out'
  upid: number | null
  pid: number
  procName: string
  fd: number
  fdName: string
  /** bytes the syscall moved */
  len: number
  /** the bytes the capture kept (snaplen), base64 */
  data: string
  captured: number
}

export interface Stream {
  chunks: StreamChunk[]
  truncated: boolean
}

export interface CommandRow {
  shellPid: number
  shellUpid: number
  upid: number
  pid: number
  ts: TimeNs
  user: string
  loginUser: string
  tty: number
  sid: number | null
  container: string | null
  cmdline: string
}

export interface TopIoRow {
  name: string
  bytes: number
  bytesRead: number
  bytesWritten: number
  upids: number[]
  proto?: string
}

export interface TopIo {
  files: TopIoRow[]
  connections: TopIoRow[]
  /** files by failed calls on their fds, as `sysdig -c topfiles_errors` counts them */
  filesByErrors: { path: string; count: number }[]
}

export interface ErrorGroup {
  errno: string
  count: number
  byProcess: { upid: number | null; pid: number; name: string; count: number }[]
  byPath: { path: string; count: number }[]
}
