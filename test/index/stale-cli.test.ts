// An index from an older Peregrine given to the CLI: a plain message saying to index the capture again,
// exit 2, no "internal error" and no stack trace (the compiled CLI, as a user runs it).
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildIndex } from '../../src-main/engine/index/build'
import { MIN_READABLE_VERSION } from '../../src-main/engine/index/migrations/list'

const ROOT = resolve(__dirname, '../..')
const CAPTURE = resolve(ROOT, '../shared/corpus/files/falcosecurity__falco/test__trace_files__cat_write.scap')

describe('peregrine on a stale index', () => {
  it.each([
    ['query', ['overview']],
    ['report', ['-o', 'OUT']]
  ])('%s says to index again', async (cmd, extra) => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-stale-cli-'))
    const dbPath = join(dir, 'cat.db')
    await buildIndex({ capturePath: CAPTURE, dbPath, rules: null })
    const old = new Database(dbPath)
    old.exec('ALTER TABLE events DROP COLUMN tid')
    old.pragma(`user_version = ${MIN_READABLE_VERSION - 1}`)
    old.close()
    const args = extra.map((a) => (a === 'OUT' ? join(dir, 'r.json') : a))
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/peregrine.js'), cmd, dbPath, ...args], {
      encoding: 'utf8'
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(
      new RegExp(
        `^peregrine ${cmd}: the index has schema version ${MIN_READABLE_VERSION - 1}, built by an older Peregrine: index the capture again`
      )
    )
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
  })
})
