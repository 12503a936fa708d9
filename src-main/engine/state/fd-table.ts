import { FD_CLOSE_CANCELED, FD_CLOSE_IN_PROGRESS } from './fd-info'
import type { FdInfo } from './fd-info'
import type { ThreadInfo } from './thread-info'
import { smi } from './thread-table'
import type { ThreadTable } from './thread-table'

/** Where sinsp parks an fd whose close was overtaken by a new fd with the same number. */
export const CANCELED_FD_NUMBER = Number.MAX_SAFE_INTEGER

/**
 * sinsp_threadinfo::add_fd: stores a copy of `fdi` under `fd` in the thread's (process's) table and makes
 * it the thread's current fd (m_lastevent_fd). Returns the stored copy, or undefined without a table.
 */
export function addFd(threads: ThreadTable, t: ThreadInfo, fd: number, fdi: FdInfo): FdInfo | undefined {
  const table = threads.fdTable(t)
  if (table === undefined) return undefined
  fd = smi(fd)
  const copy = fdi.clone()
  const old = table.get(fd)
  if (old !== undefined && (old.flags & FD_CLOSE_IN_PROGRESS) !== 0) {
    old.flags = (old.flags & ~FD_CLOSE_IN_PROGRESS) | FD_CLOSE_CANCELED
    table.set(CANCELED_FD_NUMBER, old.clone())
  }
  table.set(fd, copy)
  t.lastEventFd = fd
  return copy
}
