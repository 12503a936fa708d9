/**
 * The end of a build: the capture row, import statistics, processes and threads, the fine timeline, the
 * secondary indexes (built after the bulk load: much faster than maintaining them row by row), the
 * full-text index, planner statistics, and finally meta.state = 'complete'.
 */
import type { WritableDb } from './db'
import { toolVersion } from './db'
import { createSecondaryIndexes } from './migrations/runner'
import { SECTION_KEY, type IngestResult } from './ingest'
import { PROCESS_INSERT_SQL, THREAD_INSERT_SQL, writeProcess, writeThread } from './writer'

export function finalizeIndex(db: WritableDb, r: IngestResult, buildMs: number): void {
  const tx = db.transaction(() => {
    const s = r.summary
    db.prepare(
      `INSERT INTO capture (id, path, name, size, sha256, compressed, uncompressed_bytes, format_version, sections,
        hostname, num_cpus, memory_bytes, boot_ts, base_ts, first_ts, last_ts, events, complete, error, blocks,
        indexed_at, index_ms, tool_version)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ).run(
      r.path,
      r.name,
      s.fileSize,
      r.sha256,
      s.compressed ? 1 : 0,
      s.bytes,
      s.formatVersion,
      s.sections,
      r.machine?.hostname ?? null,
      r.machine?.numCpus ?? null,
      r.machine?.memorySizeBytes ?? null,
      r.machine?.bootTs ?? null,
      r.baseTs,
      r.firstTs,
      r.lastTs,
      r.events,
      s.complete ? 1 : 0,
      s.error === undefined ? null : JSON.stringify(s.error),
      JSON.stringify(s.blocks),
      new Date().toISOString(),
      buildMs,
      toolVersion()
    )
    const stat = db.prepare(
      'INSERT OR REPLACE INTO import_stats (code, source, severity, count, message, first_offset) VALUES (?,?,?,?,?,?)'
    )
    for (const [code, a] of Object.entries(s.anomalies))
      stat.run(code, 'capture', a.severity, a.count, a.message, a.firstOffset ?? null)
    for (const x of r.stats) stat.run(x.code, x.source, x.severity, x.count, x.message, x.firstOffset ?? null)

    const users = db.prepare('INSERT OR REPLACE INTO users (uid, name, home, shell) VALUES (?,?,?,?)')
    for (const u of r.users) users.run(u.uid, u.name, u.homedir, u.shell)
    const cont = db.prepare(
      'INSERT OR REPLACE INTO containers (id, name, image, type, privileged) VALUES (?,?,?,?,?)'
    )
    for (const c of r.containers) cont.run(c.id, c.name, c.image, c.type, c.privileged)

    const ps = db.prepare(PROCESS_INSERT_SQL)
    for (const p of r.processes) writeProcess(ps, p)
    const tn = db.prepare(
      'INSERT OR REPLACE INTO thread_names (utid, from_num, to_num, name, exe, exepath, cmdline) VALUES (?,?,?,?,?,?,?)'
    )
    for (const row of r.threadNames) tn.run(row)
    const ts = db.prepare(THREAD_INSERT_SQL)
    for (const t of r.threads) writeThread(ts, t)

    const tl = db.prepare(
      'INSERT INTO timeline_fine (section, bucket, cat, events, first_num, last_num) VALUES (?,?,?,?,?,?)'
    )
    for (const [key, [n, first, last]] of r.timeline) {
      const section = Math.floor(key / SECTION_KEY)
      const rest = key - section * SECTION_KEY
      const bucket = Math.floor(rest / 4)
      tl.run(section, bucket, rest - bucket * 4, n, first, last)
    }
    const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
    meta.run('fine_bucket_ns', String(r.fineBucketNs))
    meta.run('io_indexed', '1')
    meta.run('visible_events', String(r.visibleEvents))
    meta.run('hidden_by_type', JSON.stringify(r.hiddenByType))
    meta.run('event_set', r.eventSet)
  })
  tx()

  createSecondaryIndexes(db)
  db.exec(`INSERT INTO search (text, kind, ref)
    SELECT cmdline, 'cmdline', upid FROM processes WHERE cmdline <> ''
    UNION ALL SELECT exepath, 'exe', upid FROM processes WHERE exepath <> ''
    UNION ALL SELECT cwd, 'cwd', upid FROM processes WHERE cwd <> ''
    UNION ALL SELECT s, 'path', id FROM strings WHERE id IN (SELECT path FROM file_activity UNION SELECT path2 FROM file_activity)
    UNION ALL SELECT s, 'connection', id FROM strings WHERE id IN (SELECT name FROM connections)`)
  db.pragma('analysis_limit = 400')
  db.exec('ANALYZE')
  db.prepare("UPDATE meta SET value = 'complete' WHERE key = 'state'").run()
}
