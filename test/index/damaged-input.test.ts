// Damaged and unusable input: a truncated capture gives a partial index that says so (complete = 0, the error
// with its offset, the events before it); a file that is not a syscall capture, or no file, gives no index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildIndex } from '../../src-main/engine/index/build'

const CORPUS = resolve(__dirname, '../../../shared/corpus/files')
let dir = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-damaged-'))
})

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe('damaged input', () => {
  it('a truncated capture is indexed up to the damage and marked incomplete', async () => {
    const raw = gunzipSync(
      readFileSync(
        join(CORPUS, 'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap')
      )
    )
    const file = join(dir, 'cut.scap')
    writeFileSync(file, raw.subarray(0, Math.floor(raw.length * 0.6) + 3))
    const r = await buildIndex({ capturePath: file, dbPath: join(dir, 'cut.db') })
    const db = new Database(r.dbPath, { readonly: true })
    try {
      const cap = db.prepare('SELECT complete, error, events FROM capture').get() as {
        complete: number
        error: string
        events: number
      }
      expect(cap.complete).toBe(0)
      const err = JSON.parse(cap.error) as { code: string; offset: number }
      expect(err.code).toBe('truncated')
      expect(err.offset).toBeGreaterThan(0)
      expect(err.offset).toBeLessThanOrEqual(raw.length * 0.6 + 3)
      expect(cap.events).toBeGreaterThan(100)
      expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(cap.events)
      expect(db.prepare("SELECT value FROM meta WHERE key = 'state'").get()).toEqual({ value: 'complete' })
    } finally {
      db.close()
    }
  })

  it('a pcapng network capture named .scap is refused and no index is written', async () => {
    const db = join(dir, 'pcap.db')
    await expect(
      buildIndex({ capturePath: join(CORPUS, 'bennythejudge__toolbox/output.scap'), dbPath: db })
    ).rejects.toThrow(/not a syscall capture/)
    expect(existsSync(db)).toBe(false)
  })

  it('a missing file is an error, not an empty index', async () => {
    const db = join(dir, 'missing.db')
    await expect(buildIndex({ capturePath: join(dir, 'nope.scap'), dbPath: db })).rejects.toThrow(/ENOENT/)
    expect(existsSync(db)).toBe(false)
  })

  it('garbage bytes are refused without crashing or hanging', async () => {
    const file = join(dir, 'garbage.scap')
    writeFileSync(
      file,
      Buffer.from('<img src=x onerror=alert(1)></script><script>alert(2)</script>'.repeat(100))
    )
    const db = join(dir, 'garbage.db')
    await expect(buildIndex({ capturePath: file, dbPath: db })).rejects.toThrow()
    expect(existsSync(db)).toBe(false)
  })
})
