import type Database from 'better-sqlite3'
import { createIndexSql } from '../schema/ddl'
import { TABLES } from '../schema/tables'
import { MIGRATIONS, MIN_READABLE_VERSION, SCHEMA_VERSION } from './list'

export class SchemaTooNewError extends Error {
  constructor(readonly found: number) {
    super(`the index has schema version ${found}, newer than this Peregrine knows (${SCHEMA_VERSION})`)
  }
}

/** An index too old for the read models (or no Peregrine index at all): it must be rebuilt from the capture. */
export class StaleIndexError extends Error {
  constructor(readonly found: number) {
    super(
      found < 1
        ? 'not a Peregrine index'
        : `the index has schema version ${found}, built by an older Peregrine: index the capture again to rebuild it (version ${MIN_READABLE_VERSION} or later is needed)`
    )
    this.name = 'StaleIndexError'
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings a database to SCHEMA_VERSION, one migration per transaction, recording the version in
 * `PRAGMA user_version` inside the same transaction (so a crash leaves a consistent older version).
 * `indexes`: also create the secondary indexes (for an existing, complete index; a fresh build creates
 * them after its bulk load instead). Returns the versions applied.
 */
export function migrate(db: Database.Database, opts: { indexes: boolean }): number[] {
  const from = schemaVersion(db)
  if (from > SCHEMA_VERSION) throw new SchemaTooNewError(from)
  const applied: number[] = []
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
    applied.push(m.version)
  }
  if (opts.indexes && applied.length > 0) createSecondaryIndexes(db)
  return applied
}

/** Creates every declared secondary index (idempotent). */
export function createSecondaryIndexes(db: Database.Database): void {
  for (const t of TABLES) for (const ix of t.indexes ?? []) db.exec(createIndexSql(t, ix))
}
