/** Read model: the alerts of the active rules run, grouped by rule, priority and MITRE tactic; one alert in detail. */
import type { AlertDetail, AlertRow, Alerts, Count, Priority, TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { ancestorRows, priorityName, processRow, alertCountsByProcess, toNode } from './process-nodes'
import { eventsAround } from './events'

export interface AlertsArgs {
  window?: TimeWindow | null
  upid?: number | null
  /** a specific rules run (default: the active one) */
  runId?: number | null
  limit?: number
}

interface Row {
  id: number
  rule: string
  priority: number
  output: string
  tags: string | null
  tactic: string | null
  ts: number
  num: number
  upid: number | null
  name: string | null
}

const COLS = 'a.id, a.rule, a.priority, a.output, a.tags, a.tactic, a.ts, a.num, a.upid, p.name'

function toRow(q: QueryDb, r: Row): AlertRow {
  return {
    id: r.id,
    rule: r.rule,
    priority: priorityName(r.priority),
    output: r.output,
    tags: r.tags === null ? [] : (JSON.parse(r.tags) as string[]),
    tactic: r.tactic,
    ts: q.abs(r.ts),
    num: r.num,
    upid: r.upid,
    procName: r.name ?? ''
  }
}

export function alerts(q: QueryDb, args: AlertsArgs = {}): Alerts {
  const run = args.runId ?? q.activeRun()
  if (run === null) return { rows: [], byRule: [], byPriority: [], byTactic: [], truncated: false }
  const limit = args.limit ?? 5000
  const { from, to } = q.window(args.window)
  const byUpid = args.upid !== null && args.upid !== undefined
  const cond = `a.run_id = ? AND a.ts >= ? AND a.ts < ?${byUpid ? ' AND a.upid = ?' : ''}`
  const params = byUpid ? [run, from, to, args.upid] : [run, from, to]
  const rows = q
    .q(
      `SELECT ${COLS} FROM alerts a LEFT JOIN processes p ON p.upid = a.upid WHERE ${cond} ORDER BY a.ts, a.id LIMIT ?`
    )
    .all(...params, limit + 1) as Row[]
  const truncated = rows.length > limit
  if (truncated) rows.length = limit
  const byRule = (
    q
      .q(
        `SELECT a.rule, min(a.priority) AS priority, count(*) AS n FROM alerts a WHERE ${cond} GROUP BY a.rule ORDER BY min(a.priority), n DESC, a.rule`
      )
      .all(...params) as { rule: string; priority: number; n: number }[]
  ).map((r) => ({ rule: r.rule, priority: priorityName(r.priority), count: r.n }))
  const byPriority = (
    q
      .q(
        `SELECT a.priority, count(*) AS n FROM alerts a WHERE ${cond} GROUP BY a.priority ORDER BY a.priority`
      )
      .all(...params) as {
      priority: number
      n: number
    }[]
  ).map((r): Count<Priority> => ({ key: priorityName(r.priority), count: r.n }))
  const byTactic = (
    q
      .q(
        `SELECT coalesce(a.tactic, '') AS k, count(*) AS n FROM alerts a WHERE ${cond} GROUP BY k ORDER BY n DESC, k`
      )
      .all(...params) as { k: string; n: number }[]
  ).map((r) => ({ key: r.k, count: r.n }))
  return { rows: rows.map((r) => toRow(q, r)), byRule, byPriority, byTactic, truncated }
}

export function alertDetail(q: QueryDb, id: number, around = 10): AlertDetail | null {
  const r = q
    .q(`SELECT ${COLS} FROM alerts a LEFT JOIN processes p ON p.upid = a.upid WHERE a.id = ?`)
    .get(id) as Row | undefined
  if (r === undefined) return null
  const ctx = eventsAround(q, r.num, around, around)
  const lineageRows =
    r.upid === null
      ? []
      : [...ancestorRows(q, r.upid), ...[processRow(q, r.upid)].filter((x) => x !== undefined)]
  const counts = alertCountsByProcess(
    q,
    lineageRows.map((x) => x.upid)
  )
  return {
    alert: toRow(q, r),
    event: ctx.rows.find((e) => e.num === r.num) ?? null,
    around: ctx.rows,
    lineage: lineageRows.map((x) => toNode(q, x, counts))
  }
}
