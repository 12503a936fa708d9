/** Process rows → ProcessNode, with alert counts by priority for the active rules run. */
import { PRIORITIES, type Count, type Priority, type ProcessNode } from '../../common/model/types'
import type { QueryDb } from './query-db'

export interface ProcessDbRow {
  upid: number
  parent_upid: number | null
  pid: number
  ppid: number | null
  name: string | null
  exe: string | null
  cmdline: string | null
  user: string | null
  uid: number | null
  container_id: string | null
  start_ts: number | null
  end_ts: number | null
}

export const PROCESS_COLS =
  'upid, parent_upid, pid, ppid, name, exe, cmdline, user, uid, container_id, start_ts, end_ts'

export function priorityName(p: number): Priority {
  return PRIORITIES[p] ?? 'DEBUG'
}

/** upid → alert counts by priority (no zero entries), for the given upids or all. */
export function alertCountsByProcess(
  q: QueryDb,
  upids: readonly number[] | null
): Map<number, Count<Priority>[]> {
  const out = new Map<number, Count<Priority>[]>()
  const run = q.activeRun()
  if (run === null) return out
  const rows = (
    upids === null
      ? q
          .q(
            'SELECT upid, priority, count(*) AS n FROM alerts WHERE run_id = ? AND upid IS NOT NULL GROUP BY upid, priority'
          )
          .all(run)
      : q
          .q(
            'SELECT upid, priority, count(*) AS n FROM alerts WHERE run_id = ? AND upid IN (SELECT value FROM json_each(?)) GROUP BY upid, priority'
          )
          .all(run, JSON.stringify(upids))
  ) as { upid: number; priority: number; n: number }[]
  for (const r of rows) {
    let list = out.get(r.upid)
    if (list === undefined) out.set(r.upid, (list = []))
    list.push({ key: priorityName(r.priority), count: r.n })
  }
  for (const list of out.values()) list.sort((a, b) => PRIORITIES.indexOf(a.key) - PRIORITIES.indexOf(b.key))
  return out
}

export function toNode(q: QueryDb, r: ProcessDbRow, alerts: Map<number, Count<Priority>[]>): ProcessNode {
  return {
    upid: r.upid,
    parentUpid: r.parent_upid,
    pid: r.pid,
    ppid: r.ppid ?? 0,
    name: r.name ?? '',
    exe: r.exe ?? '',
    cmdline: r.cmdline ?? '',
    user: r.user ?? (r.uid === null ? '' : String(r.uid)),
    container:
      r.container_id === null || r.container_id === '' || r.container_id === 'host' ? null : r.container_id,
    start: q.absOrNull(r.start_ts),
    end: q.absOrNull(r.end_ts),
    alerts: alerts.get(r.upid) ?? []
  }
}

export function processRow(q: QueryDb, upid: number): ProcessDbRow | undefined {
  return q.q(`SELECT ${PROCESS_COLS} FROM processes WHERE upid = ?`).get(upid) as ProcessDbRow | undefined
}

/** Ancestors of a process, root first, the parent last (cycles and depth are bounded). */
export function ancestorRows(q: QueryDb, upid: number): ProcessDbRow[] {
  const out: ProcessDbRow[] = []
  const seen = new Set<number>([upid])
  let cur = processRow(q, upid)
  while (cur !== undefined && cur.parent_upid !== null && !seen.has(cur.parent_upid) && out.length < 1000) {
    seen.add(cur.parent_upid)
    const parent = processRow(q, cur.parent_upid)
    if (parent === undefined) break
    out.push(parent)
    cur = parent
  }
  return out.reverse()
}

/** Descendants of a process (breadth first, bounded by `limit`). */
export function descendantRows(
  q: QueryDb,
  upid: number,
  limit: number
): { rows: ProcessDbRow[]; truncated: boolean } {
  const rows: ProcessDbRow[] = []
  const seen = new Set<number>([upid])
  let frontier = [upid]
  const stmt = q.q(
    `SELECT ${PROCESS_COLS} FROM processes WHERE parent_upid IN (SELECT value FROM json_each(?)) ORDER BY upid`
  )
  while (frontier.length > 0) {
    const next: number[] = []
    for (const r of stmt.all(JSON.stringify(frontier)) as ProcessDbRow[]) {
      if (seen.has(r.upid)) continue
      seen.add(r.upid)
      if (rows.length >= limit) return { rows, truncated: true }
      rows.push(r)
      next.push(r.upid)
    }
    frontier = next
  }
  return { rows, truncated: false }
}
