/**
 * Read model: the overview of a capture — evidence (file, hash, format, host), time range, counts, data
 * quality (import statistics), alerts by priority and tactic, top processes, files and remote endpoints.
 * Everything comes from small tables or pre-computed counts, so it stays fast on millions of events.
 */
import type { Count, ImportStat, Overview, Priority } from '../../common/model/types'
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

export function overview(q: QueryDb, top = 10): Overview {
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
              'SELECT priority, count(*) AS n FROM alerts WHERE run_id = ? GROUP BY priority ORDER BY priority'
            )
            .all(run) as { priority: number; n: number }[]
        ).map((r): Count<Priority> => ({ key: priorityName(r.priority), count: r.n }))
  const byTactic =
    run === null
      ? []
      : (
          q
            .q(
              "SELECT coalesce(tactic, '') AS k, count(*) AS n FROM alerts WHERE run_id = ? GROUP BY k ORDER BY n DESC, k"
            )
            .all(run) as { k: string; n: number }[]
        ).map((r) => ({ key: r.k, count: r.n }))
  const alertsByUpid = new Map<number, number>()
  if (run !== null)
    for (const r of q
      .q('SELECT upid, count(*) AS n FROM alerts WHERE run_id = ? AND upid IS NOT NULL GROUP BY upid')
      .all(run) as { upid: number; n: number }[])
      alertsByUpid.set(r.upid, r.n)
  const topProcesses = (
    q.q('SELECT upid, pid, name, events FROM processes ORDER BY events DESC, upid LIMIT ?').all(top) as {
      upid: number
      pid: number
      name: string | null
      events: number
    }[]
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
           FROM file_activity GROUP BY path ORDER BY n DESC, path LIMIT ?) JOIN strings ON strings.id = path ORDER BY n DESC, s`
      )
      .all(top) as { path: string; n: number; acc: number }[]
  ).map((r) => ({ path: r.path, count: r.n, sensitive: classifyPath(r.path, r.acc) }))
  const topEndpoints = (
    q
      .q(
        `SELECT rip, rport, family, max(local) AS loc, count(*) AS n FROM connections WHERE direction <> 'listen'
         GROUP BY rip, rport ORDER BY n DESC, rip, rport LIMIT ?`
      )
      .all(top) as { rip: string; rport: number; family: number; loc: number; n: number }[]
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
    events: cap.events,
    processes: count('SELECT count(*) AS n FROM processes'),
    threads: count('SELECT count(*) AS n FROM threads'),
    // containers whose processes did something in the capture (the snapshot lists idle ones too)
    containers: count(
      "SELECT count(DISTINCT container_id) AS n FROM processes WHERE events > 0 AND container_id <> 'host' AND container_id <> ''"
    ),
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

/** "1.2.3.4:80", "[::1]:80", or a unix path. */
export function endpointText(ip: string, port: number, family: number): string {
  if (family === 1) return ip
  return family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`
}
