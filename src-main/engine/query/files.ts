/**
 * Read model: file activity (opens, creations, deletions, renames, permission changes, executions) with
 * sensitive files classified, as rows and grouped by path.
 */
import type { FileActivity, FileRow, TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { accessText, classifyPath } from './sensitive-files'
import { resultText } from './errno-names'

export interface FilesArgs {
  window?: TimeWindow | null
  upid?: number | null
  /** only sensitive files */
  sensitiveOnly?: boolean
  limit?: number
}

interface Row {
  path: string
  path2: string | null
  upid: number | null
  pid: number | null
  name: string | null
  op: string
  access: number
  ts: number
  res: number | null
}

export function fileActivity(q: QueryDb, args: FilesArgs = {}): FileActivity {
  const limit = args.limit ?? 5000
  // no time condition for the whole capture: rows then come in id (= event) order without a sort
  const conds: string[] = []
  const params: number[] = []
  if (args.window !== null && args.window !== undefined) {
    const { from, to } = q.window(args.window)
    conds.push('f.ts >= ? AND f.ts < ?')
    params.push(from, to)
  }
  if (args.upid !== null && args.upid !== undefined) {
    conds.push('f.upid = ?')
    params.push(args.upid)
  }
  const cond = conds.length === 0 ? '1' : conds.join(' AND ')
  // classification once per distinct path (and access kind), from the grouped rows
  const groups = q
    .q(
      `SELECT f.path AS id, s.s AS path, sum(f.access & 5 <> 0) AS reads, sum(f.access & 58 <> 0) AS writes,
              max(f.access & 58) | max(f.access & 5) AS acc, group_concat(DISTINCT f.upid) AS upids
       FROM file_activity f JOIN strings s ON s.id = f.path WHERE ${cond} GROUP BY f.path`
    )
    .all(...params) as {
    id: number
    path: string
    reads: number
    writes: number
    acc: number
    upids: string | null
  }[]
  const classes = new Map<number, string | null>()
  const byPath: FileActivity['byPath'] = []
  for (const g of groups) {
    const sensitive = classifyPath(g.path, g.acc)
    classes.set(g.id, sensitive)
    if (args.sensitiveOnly === true && sensitive === null) continue
    byPath.push({
      path: g.path,
      reads: g.reads,
      writes: g.writes,
      upids: (g.upids ?? '')
        .split(',')
        .filter((x) => x !== '')
        .map(Number)
        .sort((a, b) => a - b),
      sensitive
    })
  }
  byPath.sort(
    (a, b) =>
      (a.sensitive === null ? 1 : 0) - (b.sensitive === null ? 1 : 0) ||
      b.reads + b.writes - (a.reads + a.writes) ||
      (a.path < b.path ? -1 : 1)
  )
  const sensitiveIds =
    args.sensitiveOnly === true ? [...classes].filter(([, c]) => c !== null).map(([id]) => id) : null
  const rowCond = sensitiveIds === null ? cond : `${cond} AND f.path IN (SELECT value FROM json_each(?))`
  const rowParams: (number | string)[] =
    sensitiveIds === null ? params : [...params, JSON.stringify(sensitiveIds)]
  const all = q
    .q(
      `SELECT f.path AS id, s.s AS path, s2.s AS path2, f.upid, p.pid, p.name, f.op, f.access, f.ts, f.res
       FROM file_activity f JOIN strings s ON s.id = f.path LEFT JOIN strings s2 ON s2.id = f.path2
       LEFT JOIN processes p ON p.upid = f.upid WHERE ${rowCond} ORDER BY f.id LIMIT ?`
    )
    .all(...rowParams, limit + 1) as (Row & { id: number })[]
  const truncated = all.length > limit
  if (truncated) all.length = limit
  const rows: FileRow[] = all.map((r) => ({
    path: r.path,
    upid: r.upid ?? -1,
    pid: r.pid ?? -1,
    procName: r.name ?? '',
    op: r.path2 === null ? r.op : `${r.op} → ${r.path2}`,
    access: accessText(r.access),
    ts: q.abs(r.ts),
    res: resultText(r.res),
    sensitive: classifyPath(r.path, r.access)
  }))
  return { rows, byPath, truncated }
}
