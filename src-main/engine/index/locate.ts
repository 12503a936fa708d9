/**
 * Where an index lives and whether it is usable. An index is keyed by the SHA-256 of the capture's bytes:
 * the default location is `<cache dir>/<sha256>.peregrine.db`, so opening a capture that was indexed
 * before (under any name) costs one hash of the file, not an import.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIN_READABLE_VERSION, SCHEMA_VERSION } from './migrations/list'

/** SHA-256 of a file, hex. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024, signal })
  for await (const chunk of stream) h.update(chunk as Buffer)
  return h.digest('hex')
}

/** Directory of indexes keyed by content: $PEREGRINE_INDEX_DIR, else $XDG_CACHE_HOME/peregrine/indexes. */
export function indexCacheDir(): string {
  const env = process.env.PEREGRINE_INDEX_DIR
  if (env !== undefined && env !== '') return env
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache')
  return join(base, 'peregrine', 'indexes')
}

export function defaultIndexPath(sha256: string): string {
  const dir = indexCacheDir()
  mkdirSync(dir, { recursive: true })
  return join(dir, `${sha256}.peregrine.db`)
}

export interface IndexStatus {
  usable: boolean
  /** why not, when not */
  reason?: string
  sha256?: string
  schemaVersion?: number
}

/**
 * Whether the database at `dbPath` is a complete index of content `sha256` (a schema version this tool can
 * open or upgrade: MIN_READABLE_VERSION .. SCHEMA_VERSION). Never throws.
 */
export function checkIndex(dbPath: string, sha256: string | null): IndexStatus {
  if (!existsSync(dbPath)) return { usable: false, reason: 'no index' }
  let db: Database.Database | null = null
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true })
    const version = db.pragma('user_version', { simple: true }) as number
    if (version < 1) return { usable: false, reason: 'not a Peregrine index' }
    if (version > SCHEMA_VERSION)
      return { usable: false, reason: `schema ${version} is newer than this tool` }
    // older than the read models need: rebuilt from the capture (the missing data is only there)
    if (version < MIN_READABLE_VERSION)
      return { usable: false, reason: `schema ${version} is too old: rebuild`, schemaVersion: version }
    const state = db.prepare("SELECT value FROM meta WHERE key = 'state'").get() as
      { value: string } | undefined
    if (state?.value !== 'complete') return { usable: false, reason: 'incomplete index' }
    const cap = db.prepare('SELECT sha256 FROM capture WHERE id = 1').get() as { sha256: string } | undefined
    if (cap === undefined) return { usable: false, reason: 'no capture row' }
    if (sha256 !== null && cap.sha256 !== sha256)
      return { usable: false, reason: 'the index is of another capture', sha256: cap.sha256 }
    return { usable: true, sha256: cap.sha256, schemaVersion: version }
  } catch (e) {
    return { usable: false, reason: e instanceof Error ? e.message : String(e) }
  } finally {
    db?.close()
  }
}
