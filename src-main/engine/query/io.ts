/**
 * Drill-down read models (the Sysdig Inspect / chisel views): follow an I/O stream (the data snapshots the
 * capture kept, in time order), interactive commands (what spy_users shows), failed syscalls grouped by errno,
 * process and path, and the files and connections that moved the most bytes (topfiles_bytes, topconns).
 */
import type { CommandRow, ErrorGroup, StreamChunk, TopIoRow } from '../../common/model/drilldown'
import type { QueryDb } from './query-db'
import { errnoName } from './errno-names'

// The row shapes are the UI's (common/model/drilldown.ts): one definition, returned as is.
export type { CommandRow, ErrorGroup, StreamChunk, TopIoRow }

export interface StreamArgs {
  /** pid:fd of a process (the latest process with that pid holding the fd) */
  pidFd?: { pid: number; fd: number }
  /** an fd name (file path or connection tuple as sysdig names it) */
  name?: string
  limit?: number
}

export function stream(q: QueryDb, a: StreamArgs): { chunks: StreamChunk[]; truncated: boolean } {
  const limit = a.limit ?? 10_000
  let where: string
  let params: (string | number)[]
  if (a.pidFd !== undefined) {
    where = 'c.upid IN (SELECT upid FROM processes WHERE pid = ?) AND c.fd = ?'
    params = [a.pidFd.pid, a.pidFd.fd]
  } else if (a.name !== undefined) {
    where = 'c.fdname = (SELECT id FROM strings WHERE s = ?)'
    params = [a.name]
  } else return { chunks: [], truncated: false }
  const rows = q
    .q(
      `SELECT c.num, c.ts, c.dir, c.upid, p.pid, p.name, c.fd, s.s AS fdname, c.len, c.data
       FROM io_chunks c LEFT JOIN processes p ON p.upid = c.upid LEFT JOIN strings s ON s.id = c.fdname
       WHERE ${where} ORDER BY c.num LIMIT ?`
    )
    .all(...params, limit + 1) as {
    num: number
    ts: number
    dir: number
    upid: number | null
    pid: number | null
    name: string | null
    fd: number
    fdname: string | null
    len: number
    data: Buffer | null
  }[]
  const truncated = rows.length > limit
  if (truncated) rows.length = limit
  return {
    chunks: rows.map((r) => ({
      num: r.num,
      ts: q.abs(r.ts),
      dir: r.dir === 0 ? 'in' : 'out',
      upid: r.upid,
      pid: r.pid ?? -1,
      procName: r.name ?? '',
      fd: r.fd,
      fdName: r.fdname ?? '',
      len: r.len,
      data: r.data === null ? '' : r.data.toString('base64'),
      captured: r.data?.length ?? 0
    })),
    truncated
  }
}

export const SHELLS = ['bash', 'sh', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox']

/** Commands run from shells (execve by a direct child of a shell), as `sysdig -c spy_users` lists them. */
export function commands(q: QueryDb): CommandRow[] {
  const rows = q
    .q(
      `SELECT s.pid AS shell_pid, s.upid AS shell_upid, c.upid, c.pid, c.exec_ts, c.user, c.uid, c.loginuser, c.tty,
              c.sid, c.container_id, c.cmdline
       FROM processes c JOIN processes s ON s.upid = c.parent_upid
       WHERE c.exec_ts IS NOT NULL AND s.name IN (SELECT value FROM json_each(?)) ORDER BY c.exec_ts, c.upid`
    )
    .all(JSON.stringify(SHELLS)) as {
    shell_pid: number
    shell_upid: number
    upid: number
    pid: number
    exec_ts: number
    user: string | null
    uid: number | null
    loginuser: string | null
    tty: number | null
    sid: number | null
    container_id: string | null
    cmdline: string | null
  }[]
  return rows.map((r) => ({
    shellPid: r.shell_pid,
    shellUpid: r.shell_upid,
    upid: r.upid,
    pid: r.pid,
    ts: q.abs(r.exec_ts),
    user: r.user ?? (r.uid === null ? '' : String(r.uid)),
    loginUser: r.loginuser ?? '',
    tty: r.tty ?? 0,
    sid: r.sid,
    container: r.container_id === null || r.container_id === 'host' ? null : r.container_id,
    cmdline: r.cmdline ?? ''
  }))
}

const FILE_TYPES = [1, 2, 16]
const INET_TYPES = [3, 4]

function topIo(q: QueryDb, types: number[], limit: number): TopIoRow[] {
  const rows = q
    .q(
      `SELECT s.s AS name, sum(f.bytes_read) AS r, sum(f.bytes_written) AS w, group_concat(DISTINCT f.upid) AS upids,
              max(f.fdtype) >> 8 AS l4
       FROM fd_io f JOIN strings s ON s.id = f.fdname
       WHERE (f.fdtype & 255) IN (SELECT value FROM json_each(?))
       GROUP BY f.fdname ORDER BY r + w DESC, name LIMIT ?`
    )
    .all(JSON.stringify(types), limit) as {
    name: string
    r: number
    w: number
    upids: string | null
    l4: number
  }[]
  return rows.map((r) => ({
    name: r.name,
    bytes: r.r + r.w,
    bytesRead: r.r,
    bytesWritten: r.w,
    upids: (r.upids ?? '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number)
      .sort((a, b) => a - b),
    ...(types === INET_TYPES ? { proto: r.l4 === 2 ? 'tcp' : r.l4 === 3 ? 'udp' : 'unknown' } : {})
  }))
}

/** Files by bytes read + written (topfiles_bytes). */
export function topFiles(q: QueryDb, limit = 20): TopIoRow[] {
  return topIo(q, FILE_TYPES, limit)
}

/** Network connections by bytes (topconns). */
export function topConnections(q: QueryDb, limit = 20): TopIoRow[] {
  return topIo(q, INET_TYPES, limit)
}

/** fd.type "file" in sysdig: scap FILE and FILE_V2 (directories are "directory", not counted). */
const FILE_FD_TYPES = new Set([1, 16])

interface ErrAgg {
  res: number
  count: number
  procs: Map<number | null, number>
  /** strings.id → failed calls */
  paths: Map<number, number>
}

/**
 * Failed syscalls (negative results of printed exit events) grouped by errno, with their processes and paths.
 * A path is what the failed call named: the fd.name of a failed call on a file fd (a read, write, ioctl ...
 * on an open file: what `topfiles_errors` counts) or the path of a failed path operation (an open, unlink,
 * rename ... that created no fd; from file_activity), each failed event counted once per path.
 */
export function errors(q: QueryDb, limit = 20): ErrorGroup[] {
  // one pass over the failed events (few next to the capture): no scan of events per errno
  const failed = q
    .q('SELECT e.num, e.res, e.upid, e.fdname, e.fdtype FROM events e WHERE e.res < 0 AND e.hidden = 0')
    .raw()
    .all() as [number, number, number | null, number | null, number | null][]
  const groups = new Map<number, ErrAgg>()
  const counted = new Set<string>()
  for (const [num, res, upid, fdname, fdtype] of failed) {
    let g = groups.get(res)
    if (g === undefined) groups.set(res, (g = { res, count: 0, procs: new Map(), paths: new Map() }))
    g.count++
    g.procs.set(upid, (g.procs.get(upid) ?? 0) + 1)
    if (fdname !== null && fdtype !== null && FILE_FD_TYPES.has(fdtype & 255)) {
      g.paths.set(fdname, (g.paths.get(fdname) ?? 0) + 1)
      counted.add(`${String(num)}:${String(fdname)}`)
    }
  }
  const pathOps = q.q('SELECT num, res, path FROM file_activity WHERE res < 0').raw().all() as [
    number,
    number,
    number
  ][]
  for (const [num, res, path] of pathOps) {
    const g = groups.get(res)
    if (g === undefined || counted.has(`${String(num)}:${String(path)}`)) continue
    g.paths.set(path, (g.paths.get(path) ?? 0) + 1)
  }
  const proc = q.q('SELECT pid, name FROM processes WHERE upid = ?')
  const str = q.q('SELECT s FROM strings WHERE id = ?')
  return [...groups.values()]
    .map((g) => ({ g, errno: errnoName(g.res) }))
    .sort((a, b) => b.g.count - a.g.count || (a.errno < b.errno ? -1 : a.errno > b.errno ? 1 : 0))
    .map(({ g, errno }) => ({
      errno,
      count: g.count,
      byProcess: [...g.procs]
        .sort((a, b) => b[1] - a[1] || (a[0] ?? -1) - (b[0] ?? -1))
        .slice(0, limit)
        .map(([upid, n]) => {
          const p =
            upid === null ? undefined : (proc.get(upid) as { pid: number; name: string | null } | undefined)
          return { upid, pid: p?.pid ?? -1, name: p?.name ?? '', count: n }
        }),
      byPath: [...g.paths]
        .map(([id, n]) => ({ path: (str.get(id) as { s: string } | undefined)?.s ?? '', count: n }))
        .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .slice(0, limit)
    }))
}

/**
 * `sysdig -c topfiles_errors`: failed calls on fds of type file (printed exit events with a negative result),
 * counted per fd.name as it was at each event, most first; the chisel prints up to 100 rows.
 */
export function topFilesErrors(q: QueryDb, limit = 100): { path: string; count: number }[] {
  const rows = q
    .q(
      `SELECT s.s AS path, count(*) AS n FROM events e JOIN strings s ON s.id = e.fdname
       WHERE e.res < 0 AND e.hidden = 0 AND (e.fdtype & 255) IN (SELECT value FROM json_each(?))
       GROUP BY e.fdname ORDER BY n DESC, path LIMIT ?`
    )
    .all(JSON.stringify([...FILE_FD_TYPES]), limit) as { path: string; n: number }[]
  return rows.map((r) => ({ path: r.path, count: r.n }))
}
