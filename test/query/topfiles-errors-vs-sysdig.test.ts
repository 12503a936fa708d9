// `sysdig -r F -c topfiles_errors` (sysdig 0.29.3) on every corpus capture sysdig reads, against our
// topFilesErrors read model and the errors model's paths: every row the chisel prints (count and fd.name,
// compared in full, not just the first), and no row where it prints none. The chisel counts failed calls
// (exit events with a negative result) on fds of type file by fd.name; a failed open has no fd and is not
// counted. Most captures have failed calls only on sockets, pipes and event fds: an empty table is the
// expected answer there, and a model that also counted those fds (or failed opens) would fail it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { errors, topFilesErrors } from '../../src-main/engine/query/io'
import { SYSDIG, sysdigText, tableRows } from '../fixtures/sysdig-chisel'

const CORPUS = resolve(__dirname, '../../../shared/corpus')

/** MANIFEST.tsv rows sysdig reads (column 7 "yes"). */
function corpusCaptures(): string[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)
  return lines
    .map((l) => l.split('\t'))
    .filter((c) => c[6] === 'yes' && c[0] !== undefined)
    .map((c) => join(CORPUS, 'files', c[0] ?? ''))
}

/** The chisel's rows: [count, fd.name]. */
function chiselRows(capture: string): [string, string][] {
  return tableRows(sysdigText(['-r', capture, '-c', 'topfiles_errors'])).map((r) => {
    expect(r, r.join('|')).toHaveLength(2)
    expect(r[0]).toMatch(/^\d+$/)
    return [r[0] ?? '', r[1] ?? '']
  })
}

const CAPTURES = existsSync(join(CORPUS, 'MANIFEST.tsv')) ? corpusCaptures() : []
const short = (p: string): string => p.slice(p.lastIndexOf('/') + 1)
let dir = ''
const dbs = new Map<string, QueryDb>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-topfiles-errors-'))
  for (const c of CAPTURES) {
    const r = await buildIndex({ capturePath: c, dbPath: join(dir, `${String(dbs.size)}.db`), rules: null })
    dbs.set(c, QueryDb.open(r.dbPath))
  }
}, 120_000)

afterAll(() => {
  for (const q of dbs.values()) q.close()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe.runIf(existsSync(SYSDIG) && CAPTURES.length > 0)('topfiles_errors vs our models', () => {
  it('covers the corpus, with at least one capture where the chisel prints rows', () => {
    expect(CAPTURES.length).toBeGreaterThanOrEqual(20)
    expect(CAPTURES.some((c) => c.includes('psp__run_as_user_0_container'))).toBe(true)
  })

  for (const capture of CAPTURES) {
    it(short(capture), () => {
      const q = dbs.get(capture)
      if (q === undefined) throw new Error(`no index for ${capture}`)
      const chisel = chiselRows(capture)
      // the chisel's order within equal counts is its hash order: compare as sorted sets, counts first
      const key = (r: [string, string]): string => `${r[0].padStart(10, '0')} ${r[1]}`
      const ours = topFilesErrors(q).map((r): [string, string] => [String(r.count), r.path])
      expect(ours.map(key).sort()).toEqual(chisel.map(key).sort())
      expect(ours.map((r) => Number(r[0]))).toEqual(chisel.map((r) => Number(r[0])).sort((a, b) => b - a))
      // the errors view names the same failed calls: per path, its counts over the errno groups hold at least
      // the chisel's (they add failed path operations such as opens, which have no fd)
      const byPath = new Map<string, number>()
      for (const g of errors(q, 10_000))
        for (const p of g.byPath) byPath.set(p.path, (byPath.get(p.path) ?? 0) + p.count)
      for (const [n, path] of chisel) expect(byPath.get(path) ?? 0, path).toBeGreaterThanOrEqual(Number(n))
    })
  }
})
