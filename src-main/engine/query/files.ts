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
  const { from, to } = q.window(args.window)
  const byUpid = args.upid !== null && args.upid !== undefined
  const all = q
    .q(
      `SELECT s.s AS path, s2.s AS path2, f.upid, p.pid, p.name, f.op, f.access, f.ts, f.res
       FROM file_activity f JOIN strings s ON s.id = f.path LEFT JOIN strings s2 ON s2.id = f.path2
       LEFT JOIN processes p ON p.upid = f.upid
       WHERE f.ts >= ? AND f.ts < ? ${byUpid ? 'AND f.upid = ?' : ''} ORDER BY f.num`
    )
    .all(...(byUpid ? [from, to, args.upid] : [from, to])) as Row[]
  const rows: FileRow[] = []
  const byPath = new Map<
    string,
    { path: string; reads: number; writes: number; upids: Set<number>; sensitive: string | null }
  >()
  let truncated = false
  for (const r of all) {
    const sensitive = classifyPath(r.path, r.access)
    if (args.sensitiveOnly === true && sensitive === null) continue
    const acc = accessText(r.access)
    if (rows.length < limit)
      rows.push({
        path: r.path,
        upid: r.upid ?? -1,
        pid: r.pid ?? -1,
        procName: r.name ?? '',
        op: r.path2 === null ? r.op : `${r.op} → ${r.path2}`,
        access: acc,
        ts: q.abs(r.ts),
        res: resultText(r.res),
        sensitive
      })
    else truncated = true
    let g = byPath.get(r.path)
    if (g === undefined)
      byPath.set(r.path, (g = { path: r.path, reads: 0, writes: 0, upids: new Set(), sensitive: null }))
    if (acc.includes('r') || acc === 'x') g.reads++
    if (acc.includes('w')) g.writes++
    if (r.upid !== null) g.upids.add(r.upid)
    g.sensitive ??= sensitive
  }
  const grouped = [...byPath.values()]
    .map((g) => ({
      path: g.path,
      reads: g.reads,
      writes: g.writes,
      upids: [...g.upids].sort((a, b) => a - b),
      sensitive: g.sensitive
    }))
    .sort(
      (a, b) =>
        (a.sensitive === null ? 1 : 0) - (b.sensitive === null ? 1 : 0) ||
        b.reads + b.writes - (a.reads + a.writes) ||
        (a.path < b.path ? -1 : 1)
    )
  return { rows, byPath: grouped, truncated }
}
