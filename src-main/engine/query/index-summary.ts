/** What `peregrine index` prints: the capture, what was indexed, import statistics and rules runs. */
import type { ReadableDb } from '../index/db'
import { QueryDb } from './query-db'
import { importStats } from './overview'
import type { ImportStat } from '../../common/model/types'

export interface IndexSummary {
  db: string
  reused: boolean
  ms: number
  capture: {
    path: string
    sizeBytes: number
    sha256: string
    compressed: boolean
    formatVersion: string
    sections: number
    hostname: string
    numCpus: number
    start: string
    end: string
    complete: boolean
    error: string | null
  }
  counts: {
    events: number
    eventTypes: number
    processes: number
    threads: number
    containers: number
    fileActivity: number
    connections: number
    ioChunks: number
    alerts: number
  }
  importStats: ImportStat[]
  rulesRuns: { id: number; status: string; files: string; alerts: number | null }[]
}

export function indexSummary(db: ReadableDb, dbPath: string, reused: boolean, ms: number): IndexSummary {
  const q = new QueryDb(db, dbPath)
  const c = db
    .prepare(
      'SELECT path, size, sha256, compressed, format_version, sections, hostname, num_cpus, first_ts, last_ts, events, complete, error FROM capture WHERE id = 1'
    )
    .get() as {
    path: string
    size: number
    sha256: string
    compressed: number
    format_version: string | null
    sections: number | null
    hostname: string | null
    num_cpus: number | null
    first_ts: number | null
    last_ts: number | null
    events: number
    complete: number
    error: string | null
  }
  const n = (t: string): number => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
  const err = c.error === null ? null : (JSON.parse(c.error) as { message?: string; offset?: number })
  return {
    db: dbPath,
    reused,
    ms,
    capture: {
      path: c.path,
      sizeBytes: c.size,
      sha256: c.sha256,
      compressed: c.compressed === 1,
      formatVersion: c.format_version ?? '',
      sections: c.sections ?? 0,
      hostname: c.hostname ?? '',
      numCpus: c.num_cpus ?? 0,
      start: q.abs(c.first_ts ?? 0),
      end: q.abs(c.last_ts ?? 0),
      complete: c.complete === 1,
      error: err === null ? null : `${err.message ?? 'error'} at offset ${err.offset ?? '?'}`
    },
    counts: {
      events: c.events,
      eventTypes: n('event_types'),
      processes: n('processes'),
      threads: n('threads'),
      containers: n("containers WHERE id <> 'host'"),
      fileActivity: n('file_activity'),
      connections: n('connections'),
      ioChunks: n('io_chunks'),
      alerts: n('alerts')
    },
    importStats: importStats(q),
    rulesRuns: (
      db.prepare('SELECT id, status, files, alerts FROM rules_runs ORDER BY id').all() as {
        id: number
        status: string
        files: string
        alerts: number | null
      }[]
    ).map((r) => ({
      ...r,
      files: (JSON.parse(r.files) as { path: string }[]).map((f) => f.path).join(', ')
    }))
  }
}

export function formatIndexSummary(s: IndexSummary): string {
  const L: string[] = []
  const c = s.capture
  L.push(`index      ${s.db}${s.reused ? ' (already indexed: reused)' : ''}  ${(s.ms / 1000).toFixed(2)} s`)
  L.push(`capture    ${c.path}`)
  L.push(`           ${c.sizeBytes} bytes${c.compressed ? ' (gzip)' : ''}  sha256 ${c.sha256}`)
  L.push(`format     ${c.formatVersion}, ${c.sections} section(s)  host ${c.hostname}  cpus ${c.numCpus}`)
  L.push(`time       ${c.start} .. ${c.end} (ns)`)
  L.push(`read       ${c.complete ? 'complete' : `INCOMPLETE: ${c.error ?? ''}`}`)
  const k = s.counts
  L.push(
    `indexed    ${k.events} events (${k.eventTypes} types), ${k.processes} processes, ${k.threads} threads, ${k.containers} containers`
  )
  L.push(
    `           ${k.fileActivity} file operations, ${k.connections} connections, ${k.ioChunks} I/O chunks, ${k.alerts} alerts`
  )
  L.push(`import statistics (${s.importStats.length}):`)
  for (const x of s.importStats) L.push(`  ${x.severity.padEnd(9)} ${String(x.count).padStart(9)}  ${x.name}`)
  if (s.importStats.length === 0) L.push('  none')
  for (const r of s.rulesRuns) L.push(`rules run ${r.id} ${r.status}: ${r.alerts ?? 0} alerts (${r.files})`)
  return L.join('\n') + '\n'
}
