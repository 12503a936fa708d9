/**
 * Opening index databases. Reads and writes get different types (a `ReadableDb` cannot be handed to code
 * that writes), after Signal-Desktop's branded handles.
 */
import Database from 'better-sqlite3'
import { readFileSync, openSync, readSync, closeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { migrate, schemaVersion, StaleIndexError } from './migrations/runner'
import { MIN_READABLE_VERSION, SCHEMA_VERSION } from './migrations/list'

declare const readable: unique symbol
declare const writable: unique symbol
export type ReadableDb = Database.Database & { readonly [readable]: true }
export type WritableDb = ReadableDb & { readonly [writable]: true }

const SQLITE_MAGIC = 'SQLite format 3\u0000'

/** True when the file starts with SQLite's header (an index rather than a capture). */
export function isSqliteFile(path: string): boolean {
  let fd = -1
  try {
    fd = openSync(path, 'r')
    const b = Buffer.alloc(16)
    const n = readSync(fd, b, 0, 16, 0)
    return n === 16 && b.toString('latin1') === SQLITE_MAGIC
  } catch {
    return false
  } finally {
    if (fd >= 0) closeSync(fd)
  }
}

/**
 * A fresh database for a build: pragmas that trade durability for speed, since the build writes into a
 * temporary file that is renamed only once complete (a crash leaves a temp file nobody opens).
 */
export function createBuildDb(path: string): WritableDb {
  const db = new Database(path)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('locking_mode = EXCLUSIVE')
  db.pragma('temp_store = MEMORY')
  db.pragma('cache_size = -131072') // 128 MiB
  db.pragma('page_size = 16384')
  migrate(db, { indexes: false })
  return db as WritableDb
}

/** Throws StaleIndexError (closing db) when the index predates the data the read models need. */
function refuseStale(db: Database.Database): void {
  const v = schemaVersion(db)
  if (v >= MIN_READABLE_VERSION) return
  db.close()
  throw new StaleIndexError(v)
}

/**
 * Opens a finished index for writing (rules runs): upgrades an older schema in place when its data is still
 * complete; refuses one older than MIN_READABLE_VERSION (StaleIndexError: rebuild it from the capture).
 */
export function openWritable(path: string): WritableDb {
  const db = new Database(path, { fileMustExist: true })
  refuseStale(db)
  db.pragma('journal_mode = DELETE')
  db.pragma('busy_timeout = 5000')
  if (schemaVersion(db) < SCHEMA_VERSION) migrate(db, { indexes: true })
  return db as WritableDb
}

/** Opens a finished index read-only (upgrading its schema first when it is older but still readable). */
export function openReadable(path: string): ReadableDb {
  let db = new Database(path, { readonly: true, fileMustExist: true })
  refuseStale(db)
  if (schemaVersion(db) < SCHEMA_VERSION) {
    db.close()
    openWritable(path).close()
    db = new Database(path, { readonly: true, fileMustExist: true })
  }
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  return db as ReadableDb
}

export function metaValue(db: ReadableDb, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
  return row?.value
}

/** The version of this tool, recorded in every index it builds (from the nearest package.json up). */
export function toolVersion(): string {
  let dir = __dirname
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'peregrine') return pkg.version ?? 'unknown'
    } catch {
      // not here: go up
    }
    dir = dirname(dir)
  }
  return 'unknown'
}
