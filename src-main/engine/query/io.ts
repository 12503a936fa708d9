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

/** Failed syscalls (negative results) grouped by errno, with their processes and paths (topfiles_errors). */
export function errors(q: QueryDb, limit = 20): ErrorGroup[] {
  const byErr = q
    .q(
      'SELECT e.res, count(*) AS n FROM events e WHERE e.res < 0 AND e.hidden = 0 GROUP BY e.res ORDER BY n DESC'
    )
    .all() as { res: number; n: number }[]
  const procs = q.q(
    `SELECT e.upid, p.pid, p.name, count(*) AS n FROM events e LEFT JOIN processes p ON p.upid = e.upid
     WHERE e.res = ? AND e.hidden = 0 GROUP BY e.upid ORDER BY n DESC LIMIT ?`
  )
  const paths = q.q(
    `SELECT s.s AS path, count(*) AS n FROM file_activity f JOIN strings s ON s.id = f.path WHERE f.res = ?
     GROUP BY f.path ORDER BY n DESC, path LIMIT ?`
  )
  return byErr.map((g) => ({
    errno: errnoName(g.res),
    count: g.n,
    byProcess: (
      procs.all(g.res, limit) as { upid: number | null; pid: number | null; name: string | null; n: number }[]
    ).map((r) => ({ upid: r.upid, pid: r.pid ?? -1, name: r.name ?? '', count: r.n })),
    byPath: (paths.all(g.res, limit) as { path: string; n: number }[]).map((r) => ({
      path: r.path,
      count: r.n
    }))
  }))
}
