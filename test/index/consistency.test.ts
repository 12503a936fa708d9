// Consistency: the index holds what sysdig 0.29.3 (the oracle) reports for the same capture — events per type
// and direction, the processes seen in events, and the connect/accept exits behind the connections table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildIndex } from '../../src-main/engine/index/build'

const CORPUS = resolve(__dirname, '../../../shared/corpus/files')
const CAPTURES = [
  'bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap',
  'falcosecurity__falco/test__trace_files__cat_write.scap',
  'draios__sysdig-inspect/capture-samples__502Error.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__single_ipv6_conn.scap'
]
const HAVE_SYSDIG = existsSync('/usr/bin/sysdig')

function sysdig(file: string, format: string, filter?: string): string[] {
  const args = ['-r', file, '-p', format]
  if (filter !== undefined) args.push(filter)
  return execFileSync('sysdig', args, { maxBuffer: 1 << 28 })
    .toString()
    .split('\n')
    .filter((l) => l !== '')
}

function countLines(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const l of lines) out[l] = (out[l] ?? 0) + 1
  return out
}

let dir = ''
const dbs = new Map<string, Database.Database>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-consistency-'))
  for (const [i, c] of CAPTURES.entries()) {
    const r = await buildIndex({ capturePath: join(CORPUS, c), dbPath: join(dir, `${i}.db`) })
    dbs.set(c, new Database(r.dbPath, { readonly: true }))
  }
})

afterAll(() => {
  for (const db of dbs.values()) db.close()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!HAVE_SYSDIG)('index consistency with sysdig 0.29.3', () => {
  for (const c of CAPTURES) {
    const file = join(CORPUS, c)
    it(`${c}: events per type and direction`, () => {
      const db = dbs.get(c)
      if (db === undefined) throw new Error('not indexed')
      const ours: Record<string, number> = {}
      for (const r of db
        .prepare(
          'SELECT t.name, t.dir, count(*) AS n FROM events e JOIN event_types t ON t.id = e.etype WHERE e.hidden = 0 GROUP BY t.name, t.dir'
        )
        .all() as { name: string; dir: string; n: number }[])
        ours[`${r.name} ${r.dir}`] = r.n
      expect(ours).toEqual(countLines(sysdig(file, '%evt.type %evt.dir')))
    })

    it(`${c}: the same event numbers are shown`, () => {
      const db = dbs.get(c)
      if (db === undefined) throw new Error('not indexed')
      const nums = (
        db.prepare('SELECT num FROM events WHERE hidden = 0 ORDER BY num').raw().all() as number[][]
      ).map((r) => String(r[0]))
      expect(nums).toEqual(sysdig(file, '%evt.num'))
    })

    it(`${c}: processes seen in events`, () => {
      const db = dbs.get(c)
      if (db === undefined) throw new Error('not indexed')
      const ours = (
        db
          .prepare(
            'SELECT DISTINCT p.pid FROM events e JOIN processes p ON p.upid = e.upid WHERE e.hidden = 0 AND p.pid >= 0'
          )
          .raw()
          .all() as number[][]
      )
        .map((r) => String(r[0]))
        .sort()
      const theirs = [...new Set(sysdig(file, '%proc.pid'))].filter((p) => p !== '<NA>' && p !== '-1').sort()
      expect(ours).toEqual(theirs)
    })

    it(`${c}: connections are the successful or attempted connect/accept exits`, () => {
      const db = dbs.get(c)
      if (db === undefined) throw new Error('not indexed')
      const ours = (
        db
          .prepare("SELECT num FROM connections WHERE op IN ('connect', 'accept') ORDER BY num")
          .raw()
          .all() as number[][]
      ).map((r) => String(r[0]))
      const theirs = sysdig(
        file,
        '%evt.num',
        'evt.dir=< and ((evt.type=connect and fd.type in (ipv4,ipv6,unix)) or (evt.type in (accept,accept4) and evt.rawres>=0))'
      )
      expect(ours).toEqual(theirs)
    })
  }
})
