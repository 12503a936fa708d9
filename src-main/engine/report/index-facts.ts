/**
 * The few facts the report needs that the read models do not return (they are not views): the capture row's
 * chain-of-custody columns, import counters with their messages, the rules run, container names, the alerts'
 * output_fields for Falco JSON lines, and whether the index has I/O counts. All read-only SQL on the same QueryDb the read models use.
 */
import type { QueryDb } from '../query/query-db'
import { metaValue } from '../index/db'

export interface CaptureFacts {
  path: string
  name: string
  size: number
  sha256: string
  compressed: boolean
  formatVersion: string
  sections: number
  hostname: string
  numCpus: number
  memoryBytes: number | null
  bootTs: string | null
  complete: boolean
  error: string | null
  indexedAt: string | null
  toolVersion: string | null
}

export function captureFacts(q: QueryDb): CaptureFacts {
  const c = q
    .q(
      `SELECT path, name, size, sha256, compressed, format_version, sections, hostname, num_cpus, memory_bytes,
              boot_ts, complete, error, indexed_at, tool_version FROM capture WHERE id = 1`
    )
    .get() as {
    path: string
    name: string
    size: number
    sha256: string
    compressed: number
    format_version: string | null
    sections: number | null
    hostname: string | null
    num_cpus: number | null
    memory_bytes: number | null
    boot_ts: string | null
    complete: number
    error: string | null
    indexed_at: string | null
    tool_version: string | null
  }
  let error: string | null = null
  if (c.error !== null) {
    try {
      const e = JSON.parse(c.error) as { message?: string; offset?: number; block?: string }
      error = `${e.message ?? 'error'} at byte offset ${String(e.offset ?? '?')}${e.block === undefined ? '' : ` (block ${e.block})`}`
    } catch {
      error = c.error
    }
  }
  return {
    path: c.path,
    name: c.name,
    size: c.size,
    sha256: c.sha256,
    compressed: c.compressed === 1,
    formatVersion: c.format_version ?? '',
    sections: c.sections ?? 0,
    hostname: c.hostname ?? '',
    numCpus: c.num_cpus ?? 0,
    memoryBytes: c.memory_bytes,
    bootTs: c.boot_ts === null || c.boot_ts === '0' ? null : c.boot_ts,
    complete: c.complete === 1,
    error,
    indexedAt: c.indexed_at,
    toolVersion: c.tool_version
  }
}

export function importMessages(q: QueryDb): Map<string, { source: string; message: string | null }> {
  const rows = q.q('SELECT code, source, message FROM import_stats').all() as {
    code: string
    source: string
    message: string | null
  }[]
  return new Map(rows.map((r) => [r.code, { source: r.source, message: r.message }]))
}

export interface RunFacts {
  id: number
  status: string
  startedAt: string
  files: { path: string; sha256: string }[]
  options: Record<string, unknown>
  rulesLoaded: number
  rulesEnabled: number
  eventsEvaluated: number
  diagnostics: { severity: string; message: string; file: string; line: number | null }[]
}

function parseJson<T>(s: string | null, dflt: T): T {
  if (s === null) return dflt
  try {
    return JSON.parse(s) as T
  } catch {
    return dflt
  }
}

export function runFacts(q: QueryDb, runId: number): RunFacts | null {
  const r = q
    .q(
      'SELECT id, status, started_at, files, options, rules_loaded, rules_enabled, events_evaluated, diagnostics FROM rules_runs WHERE id = ?'
    )
    .get(runId) as
    | {
        id: number
        status: string
        started_at: string
        files: string
        options: string
        rules_loaded: number | null
        rules_enabled: number | null
        events_evaluated: number | null
        diagnostics: string | null
      }
    | undefined
  if (r === undefined) return null
  return {
    id: r.id,
    status: r.status,
    startedAt: r.started_at,
    files: parseJson<{ path: string; sha256: string }[]>(r.files, []),
    options: parseJson<Record<string, unknown>>(r.options, {}),
    rulesLoaded: r.rules_loaded ?? 0,
    rulesEnabled: r.rules_enabled ?? 0,
    eventsEvaluated: r.events_evaluated ?? 0,
    diagnostics: parseJson(r.diagnostics, [])
  }
}

/** Runs that did not complete (failed, cancelled, interrupted), newest first: data quality must say so. */
export function incompleteRuns(q: QueryDb): { id: number; status: string }[] {
  return q.q("SELECT id, status FROM rules_runs WHERE status <> 'complete' ORDER BY id DESC").all() as {
    id: number
    status: string
  }[]
}

export function containerInfo(q: QueryDb): Map<string, { name: string | null; image: string | null }> {
  const rows = q.q('SELECT id, name, image FROM containers').all() as {
    id: string
    name: string | null
    image: string | null
  }[]
  return new Map(rows.map((r) => [r.id, { name: r.name, image: r.image }]))
}

/** alert id → [source, output_fields JSON text] for the alerts of a run. */
export function alertExtras(
  q: QueryDb,
  runId: number
): Map<number, { source: string; fields: string | null }> {
  const rows = q.q('SELECT id, source, output_fields FROM alerts WHERE run_id = ?').all(runId) as {
    id: number
    source: string | null
    output_fields: string | null
  }[]
  return new Map(rows.map((r) => [r.id, { source: r.source ?? 'syscall', fields: r.output_fields }]))
}

/** Whether the index holds I/O byte counts and data (indexes migrated from schema 1 do not). */
export function ioIndexed(q: QueryDb): boolean {
  return metaValue(q.db, 'io_indexed') === '1'
}
