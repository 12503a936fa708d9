import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  migrate,
  schemaVersion,
  SchemaTooNewError,
  StaleIndexError
} from '../../src-main/engine/index/migrations/runner'
import { MIGRATIONS, MIN_READABLE_VERSION, SCHEMA_VERSION } from '../../src-main/engine/index/migrations/list'
import { buildIndex } from '../../src-main/engine/index/build'
import { checkIndex } from '../../src-main/engine/index/locate'
import { openReadable, openWritable } from '../../src-main/engine/index/db'
import { TABLES } from '../../src-main/engine/index/schema/tables'

interface ColInfo {
  name: string
  type: string
  notnull: number
  pk: number
}

function columns(db: Database.Database, table: string): ColInfo[] {
  return db.prepare(`PRAGMA table_info(${table})`).all() as ColInfo[]
}

describe('index migrations', () => {
  it('bring a new database to the current version with exactly the declared schema', () => {
    const db = new Database(':memory:')
    expect(migrate(db, { indexes: true })).toEqual(MIGRATIONS.map((m) => m.version))
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
    for (const t of TABLES) {
      const got = columns(db, t.name)
      expect(
        got.map((c) => c.name),
        t.name
      ).toEqual(t.columns.map((c) => c.name))
      expect(
        got.map((c) => c.type),
        t.name
      ).toEqual(t.columns.map((c) => c.type))
      expect(
        got.map((c) => c.notnull === 1 || c.pk > 0),
        t.name
      ).toEqual(t.columns.map((c) => c.required === true || c.pk === true))
      const idx = (db.prepare(`PRAGMA index_list(${t.name})`).all() as { name: string; origin: string }[])
        .filter((i) => i.origin === 'c')
        .map((i) => i.name)
        .sort()
      expect(idx, t.name).toEqual((t.indexes ?? []).map((i) => i.name).sort())
    }
    const fts = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search'").get() as { sql: string }
    expect(fts.sql).toMatch(/fts5/)
  })

  it('are applied once: a second run does nothing', () => {
    const db = new Database(':memory:')
    migrate(db, { indexes: false })
    expect(migrate(db, { indexes: false })).toEqual([])
  })

  it('upgrade a version 1 index in place, keeping its rows', () => {
    const db = new Database(':memory:')
    const first = MIGRATIONS[0]
    if (first === undefined) throw new Error('no migrations')
    first.up(db)
    db.pragma('user_version = 1')
    expect(() => db.prepare('SELECT * FROM io_chunks').all()).toThrow(/no such table/)
    db.prepare("INSERT INTO strings (id, s) VALUES (7, '/etc/shadow')").run()
    db.prepare("INSERT INTO file_activity (num, ts, op, path, access) VALUES (42, 1000, 'open', 7, 1)").run()
    expect(migrate(db, { indexes: true })).toEqual([2, 3, 4])
    expect(schemaVersion(db)).toBe(4)
    expect(db.prepare('SELECT count(*) AS n FROM io_chunks').get()).toEqual({ n: 0 })
    expect(
      db.prepare('SELECT s FROM file_activity JOIN strings ON strings.id = path WHERE num = 42').get()
    ).toEqual({ s: '/etc/shadow' })
    const ix = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'io_chunks_fd'")
      .get()
    expect(ix).toEqual({ name: 'io_chunks_fd' })
  })

  it('refuse an index from a newer Peregrine', () => {
    const db = new Database(':memory:')
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    expect(() => migrate(db, { indexes: false })).toThrow(SchemaTooNewError)
  })

  it('roll back a failing migration without bumping the version', () => {
    const db = new Database(':memory:')
    // a table in the way makes migration 1 fail half-way
    db.exec('CREATE TABLE events (x)')
    expect(() => migrate(db, { indexes: false })).toThrow(/already exists/)
    expect(schemaVersion(db)).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'capture'").get()).toEqual({
      n: 0
    })
  })

  // An index older than MIN_READABLE_VERSION lacks data only the capture holds (version 4: the header tid of
  // events without a thread): migrating it in place would answer thread.tid filters wrongly, so it is not
  // usable, opening it fails, and building the capture's index again replaces it.
  it('rebuild an index older than MIN_READABLE_VERSION instead of reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-stale-'))
    try {
      const capture = resolve(
        __dirname,
        '../../../shared/corpus/files/falcosecurity__falco/test__trace_files__cat_write.scap'
      )
      const dbPath = join(dir, 'cat.db')
      const first = await buildIndex({ capturePath: capture, dbPath, rules: null })
      expect(checkIndex(dbPath, first.sha256)).toMatchObject({ usable: true, schemaVersion: SCHEMA_VERSION })
      // what a version 3 build looked like: no events.tid
      const old = new Database(dbPath)
      old.exec('ALTER TABLE events DROP COLUMN tid')
      old.pragma(`user_version = ${MIN_READABLE_VERSION - 1}`)
      old.close()
      expect(checkIndex(dbPath, first.sha256)).toMatchObject({ usable: false, schemaVersion: 3 })
      expect(() => openReadable(dbPath)).toThrow(StaleIndexError)
      expect(() => openWritable(dbPath)).toThrow(/older Peregrine/)
      const again = await buildIndex({ capturePath: capture, dbPath, rules: null })
      expect(again.reused).toBe(false)
      const db = openReadable(dbPath)
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
      const cols = columns(db, 'events').map((c) => c.name)
      expect(cols).toContain('tid')
      db.close()
      expect(checkIndex(dbPath, first.sha256).usable).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
