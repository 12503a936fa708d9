/** Read model: one process — its attributes, ancestors, children, files, connections, alerts, event count. */
import type { ProcessDetail } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { PROCESS_COLS, alertCountsByProcess, ancestorRows, toNode, type ProcessDbRow } from './process-nodes'
import { fileActivity } from './files'
import { connections } from './connections'
import { alerts } from './alerts'

export function processDetail(q: QueryDb, upid: number): ProcessDetail | null {
  const r = q
    .q(
      `SELECT ${PROCESS_COLS}, cwd, loginuser, loginuid, tty, exit_status, events FROM processes WHERE upid = ?`
    )
    .get(upid) as
    | (ProcessDbRow & {
        cwd: string | null
        loginuser: string | null
        loginuid: number | null
        tty: number | null
        exit_status: number | null
        events: number
      })
    | undefined
  if (r === undefined) return null
  const ancestors = ancestorRows(q, upid)
  const children = q
    .q(`SELECT ${PROCESS_COLS} FROM processes WHERE parent_upid = ? ORDER BY upid`)
    .all(upid) as ProcessDbRow[]
  const counts = alertCountsByProcess(q, [
    upid,
    ...ancestors.map((a) => a.upid),
    ...children.map((c) => c.upid)
  ])
  const threads = (q.q('SELECT count(*) AS n FROM threads WHERE upid = ?').get(upid) as { n: number }).n
  return {
    process: {
      ...toNode(q, r, counts),
      cwd: r.cwd ?? '',
      loginUser: r.loginuser ?? (r.loginuid === null ? '' : String(r.loginuid)),
      tty: r.tty ?? 0,
      exitStatus: r.exit_status,
      threads
    },
    ancestors: ancestors.map((a) => toNode(q, a, counts)),
    children: children.map((c) => toNode(q, c, counts)),
    files: fileActivity(q, { upid, limit: 1000 }).rows,
    connections: connections(q, { upid, limit: 1000 }).rows,
    alerts: alerts(q, { upid, limit: 1000 }).rows,
    events: r.events
  }
}
