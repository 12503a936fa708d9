import type Database from 'better-sqlite3'
import { createTableSql } from '../schema/ddl'
import { TABLES } from '../schema/tables'

export interface Migration {
  /** the schema version after this migration */
  version: number
  name: string
  up(db: Database.Database): void
}

/**
 * What every data-driven migration does for its version: create the tables introduced at that version and
 * add the columns introduced at that version to older tables. Secondary indexes are not created here (see
 * the runner): a fresh build creates them after the bulk load.
 */
export function applySchemaVersion(db: Database.Database, version: number): void {
  for (const t of TABLES) {
    if (t.since === version) db.exec(createTableSql(t, version))
    else if (t.since < version) {
      for (const col of t.columns) {
        if (col.since !== version) continue
        // SQLite cannot add a NOT NULL column without a default; the table docs mark it required anyway.
        db.exec(`ALTER TABLE ${t.name} ADD COLUMN ${col.name} ${col.type}`)
      }
    }
  }
}
