/**
 * Read model: the process tree, of the whole capture or of one process (its lineage — ancestors — and its
 * descendants), each node with its alert counts by priority. A window keeps the processes alive in it.
 */
import type { ProcessTree, TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import {
  PROCESS_COLS,
  alertCountsByProcess,
  ancestorRows,
  descendantRows,
  processRow,
  toNode,
  type ProcessDbRow
} from './process-nodes'

export interface ProcessTreeArgs {
  window?: TimeWindow | null
  /** lineage and descendants of this process; whole capture when null */
  focus?: number | null
  /** 'lineage' = ancestors and the process only; 'descendants' = the process and its subtree; default both */
  mode?: 'both' | 'lineage' | 'descendants'
  limit?: number
}

export function processTree(q: QueryDb, args: ProcessTreeArgs = {}): ProcessTree {
  const limit = args.limit ?? 20_000
  const focus = args.focus ?? null
  let rows: ProcessDbRow[]
  let truncated = false
  if (focus === null) {
    const w = args.window ?? null
    if (w === null) {
      rows = q
        .q(`SELECT ${PROCESS_COLS} FROM processes ORDER BY upid LIMIT ?`)
        .all(limit + 1) as ProcessDbRow[]
    } else {
      const { from, to } = q.window(w)
      rows = q
        .q(
          `SELECT ${PROCESS_COLS} FROM processes
           WHERE (start_ts IS NULL OR start_ts < ?) AND (end_ts IS NULL OR end_ts >= ?) ORDER BY upid LIMIT ?`
        )
        .all(to, from, limit + 1) as ProcessDbRow[]
    }
    if (rows.length > limit) {
      rows = rows.slice(0, limit)
      truncated = true
    }
  } else {
    const self = processRow(q, focus)
    if (self === undefined) return { nodes: [], focus, truncated: false }
    const mode = args.mode ?? 'both'
    const up = mode === 'descendants' ? [] : ancestorRows(q, focus)
    const down = mode === 'lineage' ? { rows: [], truncated: false } : descendantRows(q, focus, limit)
    rows = [...up, self, ...down.rows]
    truncated = down.truncated
  }
  const alerts = alertCountsByProcess(q, focus === null ? null : rows.map((r) => r.upid))
  return { nodes: rows.map((r) => toNode(q, r, alerts)), focus, truncated }
}
