/**
 * Read model: the overview of a capture — evidence (file, hash, format, host), time range, counts, data
 * quality (import statistics), alerts by priority and tactic, top processes, files and remote endpoints.
 * Everything comes from small tables or pre-computed counts, so it stays fast on millions of events.
 * With a window (the brushed range) the counts, alerts and top lists cover only [from, to); the evidence,
 * the full time range and the data quality stay those of the whole capture. Windowed counts are one scan of
 * the window's events (bounded by the fine timeline's event-number ranges).
 */
import type { Count, ImportStat, Overview, Priority, TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { priorityName } from './process-nodes'
import { classifyPath } from './sensitive-files'

interface CaptureRow {
  path: string
  size: number
  sha256: string
  format_version: string | null
  hostname: string | null
  num_cpus: number | null
  first_ts: number | null
  last_ts: number | null
  events: number
}

export function importStats(q: QueryDb): ImportStat[] {
  const rows = q.q('SELECT code, severity, count FROM import_stats ORDER BY source, code').all() as {
    code: string
    severity: string
    count: number
  }[]
  return rows.map((r) => ({
    name: r.code,
    severity:
      r.severity === 'data-loss' || r.severity === 'warning' || r.severity === 'error' ? r.severity : 'info',
    count: r.count
  }))
}

export interface OverviewArgs {
  /** restrict counts, alerts and top lists to [from, to); null or absent: the whole capture */
  window?: TimeWindow | null
  /** length of the top lists */
  top?: number
}

/** Counts of the window's visible events: per process, and distinct threads. */
interface WindowCounts {
  events: number
  threads: number
  perUpid: { upid: number; n: number }[]
}

function windowCounts(q: QueryDb, from: number, to: number): WindowCounts {
  const r = q.numRangeSql(from, to)
  const cond = `${r.sql} AND e.ts >= ? AND e.ts < ? AND e.hidden = 0`
  const rows = q
    .q(`SELECT e.upid AS upid, count(*) AS n FROM events e WHERE ${cond} GROUP BY e.upid`)
    .all(...r.params, from, to) as { upid: number | null; n: number }[]
  const threads = (
    q
      .q(`SELECT count(DISTINCT e.utid) AS n FROM events e WHERE ${cond} AND e.utid IS NOT NULL`)
      .get(...r.params, from, to) as { n: number }
  ).n
  const perUpid: { upid: number; n: number }[] = []
  let events = 0
  for (const row of rows) {
    events += row.n
    if (row.upid !== null) perUpid.push({ upid: row.upid, n: row.n })
  }
  return { events, threads, perUpid }
}

export function overview(q: QueryDb, args: OverviewArgs = {}): Overview {
  const top = args.top ?? 10
  const win = args.window ?? null
  const { from, to } = q.window(win)
  const wc = win === null ? null : windowCounts(q, from, to)
  // time condition for the tables with a ts column ('1' for the whole capture keeps the old plans)
  const tsCond = (col: string): string => (win === null ? '1' : `${col} >= ? AND ${col} < ?`)
  const tp = win === null ? [] : [from, to]
  const cap = q
    .q(
      'SELECT path, size, sha256, format_version, hostname, num_cpus, first_ts, last_ts, events FROM capture WHERE id = 1'
    )
    .get() as CaptureRow
  const count = (sql: string): number => (q.q(sql).get() as { n: number }).n
  const stats = importStats(q)
  const run = q.activeRun()
  const byPriority =
    run === null
      ? []
      : (
          q
            .q(
              `SELECT priority, count(*) AS n FROM alerts WHERE run_id = ? AND ${tsCond('ts')} GROUP BY priority ORDER BY priority`
            )
            .all(run, ...tp) as { priority: number; n: number }[]
        ).map((r): Count<Priority> => ({ key: priorityName(r.priority), count: r.n }))
  const byTactic =
    run === null
      ? []
      : (
          q
            .q(
              `SELECT coalesce(tactic, '') AS k, count(*) AS n FROM alerts WHERE run_id = ? AND ${tsCond('ts')} GROUP BY k ORDER BY n DESC, k`
            )
            .all(run, ...tp) as { k: string; n: number }[]
        ).map((r) => ({ key: r.k, count: r.n }))
  const alertsByUpid = new Map<number, number>()
  if (run !== null)
    for (const r of q
      .q(
        `SELECT upid, count(*) AS n FROM alerts WHERE run_id = ? AND upid IS NOT NULL AND ${tsCond('ts')} GROUP BY upid`
      )
      .all(run, ...tp) as { upid: number; n: number }[])
      alertsByUpid.set(r.upid, r.n)
  const topProcesses = (
    wc === null
      ? (q.q('SELECT upid, pid, name, events FROM processes ORDER BY events DESC, upid LIMIT ?').all(top) as {
          upid: number
          pid: number
          name: string | null
          events: number
        }[])
      : windowTop(q, wc, top)
  ).map((r) => ({
    upid: r.upid,
    pid: r.pid,
    name: r.name ?? '',
    events: r.events,
    alerts: alertsByUpid.get(r.upid) ?? 0
  }))
  const topFiles = (
    q
      .q(
        `SELECT s AS path, n, acc FROM (SELECT path, count(*) AS n, max(access & 58) | max(access & 1) AS acc
           FROM file_activity WHERE ${tsCond('ts')} GROUP BY path ORDER BY n DESC, path LIMIT ?) JOIN strings ON strings.id = path ORDER BY n DESC, s`
      )
      .all(...tp, top) as { path: string; n: number; acc: number }[]
  ).map((r) => ({ path: r.path, count: r.n, sensitive: classifyPath(r.path, r.acc) }))
  const topEndpoints = (
    q
      .q(
        `SELECT rip, rport, family, max(local) AS loc, count(*) AS n FROM connections WHERE direction <> 'listen'
         AND ${tsCond('ts')} GROUP BY rip, rport ORDER BY n DESC, rip, rport LIMIT ?`
      )
      .all(...tp, top) as { rip: string; rport: number; family: number; loc: number; n: number }[]
  ).map((r) => ({ endpoint: endpointText(r.rip, r.rport, r.family), count: r.n, loopback: r.loc === 1 }))
  const drops = stats.filter((s) => /drop/i.test(s.name)).reduce((a, s) => a + s.count, 0)
  const anomalies = stats.filter((s) => s.severity !== 'info').reduce((a, s) => a + s.count, 0)
  return {
    path: cap.path,
    sizeBytes: cap.size,
    sha256: cap.sha256,
    formatVersion: cap.format_version ?? '',
    hostname: cap.hostname ?? '',
    kernel: '',
    numCpus: cap.num_cpus ?? 0,
    start: q.abs(cap.first_ts ?? 0),
    end: q.abs(cap.last_ts ?? 0),
    window: win === null ? null : { from: q.abs(from), to: q.abs(to) },
    // events sysdig prints, whole or windowed alike (capture.events also counts hidden internal events)
    events: wc === null ? q.visibleEvents() : wc.events,
    // in a window: the processes and threads with events in it
    processes: wc === null ? count('SELECT count(*) AS n FROM processes') : wc.perUpid.length,
    threads: wc === null ? count('SELECT count(*) AS n FROM threads') : wc.threads,
    // containers whose processes did something in the capture (the snapshot lists idle ones too)
    containers:
      wc === null
        ? count(
            "SELECT count(DISTINCT container_id) AS n FROM processes WHERE events > 0 AND container_id <> 'host' AND container_id <> ''"
          )
        : windowContainers(q, wc),
    drops,
    anomalies,
    importStats: stats,
    alerts: byPriority.reduce((a, r) => a + r.count, 0),
    alertsByPriority: byPriority,
    alertsByTactic: byTactic,
    topProcesses,
    topFiles,
    topEndpoints
  }
}

interface ProcRow {
  upid: number
  pid: number
  name: string | null
  container_id: string | null
}

function procRows(q: QueryDb, upids: number[]): ProcRow[] {
  const out: ProcRow[] = []
  const stmt = q.q('SELECT upid, pid, name, container_id FROM processes WHERE upid = ?')
  for (const u of upids) {
    const r = stmt.get(u) as ProcRow | undefined
    if (r !== undefined) out.push(r)
  }
  return out
}

/** The window's busiest processes, by events in the window. */
function windowTop(
  q: QueryDb,
  wc: WindowCounts,
  top: number
): { upid: number; pid: number; name: string | null; events: number }[] {
  const best = [...wc.perUpid].sort((a, b) => b.n - a.n || a.upid - b.upid).slice(0, top)
  const byUpid = new Map(
    procRows(
      q,
      best.map((b) => b.upid)
    ).map((r) => [r.upid, r])
  )
  return best.map((b) => {
    const p = byUpid.get(b.upid)
    return { upid: b.upid, pid: p?.pid ?? -1, name: p?.name ?? null, events: b.n }
  })
}

function windowContainers(q: QueryDb, wc: WindowCounts): number {
  const ids = new Set<string>()
  for (const p of procRows(
    q,
    wc.perUpid.map((r) => r.upid)
  ))
    if (p.container_id !== null && p.container_id !== '' && p.container_id !== 'host') ids.add(p.container_id)
  return ids.size
}

/** "1.2.3.4:80", "[::1]:80", or a unix path. */
export function endpointText(ip: string, port: number, family: number): string {
  if (family === 1) return ip
  return family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`
}
