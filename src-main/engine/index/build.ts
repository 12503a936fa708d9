/**
 * Atomic index build: the import writes into `<db>.building-<pid>-<random>` and only a complete build is
 * renamed onto `<db>`; an interrupted import (crash, SIGKILL, cancel) leaves at most a temporary file, which
 * nobody opens and the next build of the same index removes. A build is skipped when `<db>` already holds a
 * complete index of the same content (SHA-256).
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createBuildDb } from './db'
import { IndexWriter } from './writer'
import { RemoteWriter, writerScript } from './remote-writer'
import type { RowSink } from './row-sink'
import { checkIndex, defaultIndexPath, sha256File } from './locate'
import { ingestCapture, type IngestOptions, type IngestResult } from './ingest'
import { finalizeIndex } from './finalize'

export interface BuildProgress {
  bytesRead: number
  bytesTotal: number
  events: number
  eventsPerSec: number
  /** seconds left, null while unknown */
  etaSec: number | null
}

export interface BuildOptions extends Omit<IngestOptions, 'onProgress'> {
  capturePath: string
  /** where the index goes; default: the content-keyed cache (see locate.ts) */
  dbPath?: string
  /** rebuild even when a complete index exists */
  force?: boolean
  /** SQLite writes in a second thread (default: when running compiled, where the thread script exists) */
  writerThread?: boolean
  onProgress?: (p: BuildProgress) => void
}

export interface BuildResult {
  dbPath: string
  sha256: string
  /** true when an existing index was reused */
  reused: boolean
  ingest: IngestResult | null
  ms: number
}

export class BuildCancelled extends Error {
  constructor() {
    super('indexing cancelled')
    this.name = 'BuildCancelled'
  }
}

export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  const t0 = Date.now()
  const capturePath = resolve(opts.capturePath)
  statSync(capturePath) // throws ENOENT with the path
  const sha256 = await sha256File(capturePath, opts.signal)
  const dbPath = resolve(opts.dbPath ?? defaultIndexPath(sha256))
  if (opts.force !== true && checkIndex(dbPath, sha256).usable)
    return { dbPath, sha256, reused: true, ingest: null, ms: Date.now() - t0 }

  removeStaleBuilds(dbPath)
  const tmp = `${dbPath}.building-${process.pid}-${randomBytes(4).toString('hex')}`
  const script = opts.writerThread === false ? null : writerScript()
  // two cores when the compiled writer thread is there: decoding here, SQLite there
  const remote = script === null ? null : await RemoteWriter.open(script, tmp)
  const db = remote === null ? createBuildDb(tmp) : null
  let ok = false
  try {
    let sink: RowSink
    if (db !== null) {
      db.prepare("INSERT INTO meta (key, value) VALUES ('state', 'building'), ('builder_pid', ?)").run(
        String(process.pid)
      )
      sink = new IndexWriter(db)
    } else if (remote !== null) sink = remote
    else throw new Error('no index writer')
    const started = Date.now()
    const ingest = await ingestCapture(sink, capturePath, sha256, {
      ...opts,
      onProgress: (bytesRead, bytesTotal, events) => {
        if (opts.onProgress === undefined) return
        const sec = (Date.now() - started) / 1000
        const rate = sec > 0 ? events / sec : 0
        const share = bytesTotal > 0 ? bytesRead / bytesTotal : 0
        opts.onProgress({
          bytesRead,
          bytesTotal,
          events,
          eventsPerSec: Math.round(rate),
          etaSec: share > 0.01 && sec > 0.2 ? Math.max(0, (sec / share) * (1 - share)) : null
        })
      }
    })
    if (opts.signal?.aborted === true) throw new BuildCancelled()
    const err = ingest.summary.error
    if (
      err !== undefined &&
      ingest.events === 0 &&
      (err.code === 'not-a-capture' || err.code === 'io' || err.code === 'unsupported')
    )
      throw new Error(`${capturePath}: ${err.message}`) // nothing to index: no index is written
    if (db !== null) {
      finalizeIndex(db, ingest, Date.now() - t0)
      db.close()
    } else if (remote !== null) await remote.finalize(ingest, Date.now() - t0)
    renameSync(tmp, dbPath)
    ok = true
    return { dbPath, sha256, reused: false, ingest, ms: Date.now() - t0 }
  } finally {
    if (!ok) {
      if (db?.open === true) db.close()
      if (remote !== null) await remote.abort()
      rmSync(tmp, { force: true })
      rmSync(`${tmp}-journal`, { force: true })
    }
  }
}

/** Removes temporary files of earlier builds of this index whose process is gone. */
function removeStaleBuilds(dbPath: string): void {
  const dir = dirname(dbPath)
  const prefix = `${basename(dbPath)}.building-`
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue
    const pid = Number(name.slice(prefix.length).split('-')[0])
    // a live builder (this process included: another build of the same index may be running) keeps its file
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || isAlive(pid))) continue
    rmSync(join(dir, name), { force: true })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
