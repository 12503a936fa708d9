// Interrupted imports never leave an index that looks complete: SIGKILL of `peregrine index` midway, then
// opening the capture again, gives a complete index equal to a clean build; a cancelled worker import leaves
// nothing; the worker reports progress (bytes, events/s, ETA) and finishes with a usable index.
// Needs the compiled engine (the CLI and the worker run from out/): built here when missing or stale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildIndex, type BuildProgress } from '../../src-main/engine/index/build'
import { checkIndex, sha256File } from '../../src-main/engine/index/locate'
import { buildInWorker, IndexCancelled } from '../../src-main/engine/worker/build-in-worker'

const ROOT = resolve(__dirname, '../..')
const WORKER = join(ROOT, 'out/engine/engine/worker/index-worker.js')
const K8S = resolve(
  ROOT,
  '../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)

function newestSource(dir: string): number {
  let t = 0
  for (const n of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, n.name)
    t = Math.max(t, n.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return t
}

function counts(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true })
  try {
    const n = (sql: string): unknown => (db.prepare(sql).get() as { n: unknown }).n
    return {
      events: n('SELECT count(*) AS n FROM events'),
      hidden: n('SELECT sum(hidden) AS n FROM events'),
      types: n(
        "SELECT group_concat(name || dir || count, ',') AS n FROM (SELECT * FROM event_types ORDER BY id)"
      ),
      processes: n('SELECT count(*) AS n FROM processes'),
      threads: n('SELECT count(*) AS n FROM threads'),
      files: n('SELECT count(*) AS n FROM file_activity'),
      connections: n('SELECT count(*) AS n FROM connections'),
      io: n('SELECT count(*) AS n FROM io_chunks'),
      raw: n('SELECT count(*) AS n FROM event_raw')
    }
  } finally {
    db.close()
  }
}

let dir = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-interrupt-'))
  const cli = join(ROOT, 'out/engine/engine/cli/main.js')
  const src = Math.max(
    newestSource(join(ROOT, 'src-main/engine')),
    newestSource(join(ROOT, 'src-main/common'))
  )
  if (!existsSync(cli) || !existsSync(WORKER) || statSync(WORKER).mtimeMs < src) {
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.engine.json'],
        {
          cwd: ROOT,
          stdio: 'ignore'
        }
      )
    } catch {
      // type errors elsewhere in the tree do not stop tsc from emitting
    }
  }
}, 300_000)

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe('interrupted and background imports', () => {
  it('SIGKILL midway leaves no index; opening again builds a complete, correct one', async () => {
    const db = join(dir, 'killed.db')
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/peregrine.js'), 'index', K8S, '--db', db, '--no-rules'],
      {
        stdio: 'ignore'
      }
    )
    // wait until the build file exists and has grown, then kill
    let killedMidway = false
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      const tmp = readdirSync(dir).find((n) => n.startsWith('killed.db.building-'))
      if (tmp !== undefined && statSync(join(dir, tmp)).size > 2_000_000) {
        child.kill('SIGKILL')
        killedMidway = true
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => child.once('exit', r))
    expect(killedMidway).toBe(true)
    expect(existsSync(db)).toBe(false)
    // the temporary database (and maybe its journal): never the index itself
    const leftovers = readdirSync(dir).filter(
      (n) => n.startsWith('killed.db.building-') && !n.endsWith('-journal')
    )
    expect(leftovers.length).toBe(1)
    expect(checkIndex(join(dir, leftovers[0] ?? ''), null).usable).toBe(false)

    const again = await buildIndex({ capturePath: K8S, dbPath: db })
    expect(again.reused).toBe(false)
    expect(checkIndex(db, again.sha256).usable).toBe(true)
    expect(readdirSync(dir).filter((n) => n.startsWith('killed.db.building-'))).toEqual([])
    const clean = await buildIndex({ capturePath: K8S, dbPath: join(dir, 'clean.db') })
    expect(counts(db)).toEqual(counts(clean.dbPath))
    // and a third open is instant: the content hash finds the complete index
    const third = await buildIndex({ capturePath: K8S, dbPath: db })
    expect(third.reused).toBe(true)
  })

  it('the worker reports progress and builds the index', async () => {
    const seen: BuildProgress[] = []
    const r = await buildInWorker(
      { mode: 'build', capturePath: K8S, dbPath: join(dir, 'worker.db'), rules: [], force: true },
      (p) => seen.push(p),
      new AbortController().signal,
      WORKER
    )
    expect(r.inWorker).toBe(true)
    expect(checkIndex(r.dbPath, await sha256File(K8S)).usable).toBe(true)
    expect(seen.length).toBeGreaterThan(0)
    const last = seen[seen.length - 1]
    expect(last?.bytesTotal).toBe(statSync(K8S).size)
    expect(seen.every((p) => p.bytesRead <= p.bytesTotal && p.eventsPerSec >= 0)).toBe(true)
    expect(counts(r.dbPath)).toEqual(counts(join(dir, 'clean.db')))
  })

  it('cancelling the worker leaves no index', async () => {
    const db = join(dir, 'cancelled.db')
    const abort = new AbortController()
    const p = buildInWorker(
      { mode: 'build', capturePath: K8S, dbPath: db, rules: [], force: false },
      () => {
        abort.abort()
      },
      abort.signal,
      WORKER
    )
    await expect(p).rejects.toBeInstanceOf(IndexCancelled)
    expect(existsSync(db)).toBe(false)
    // the cancelled build removed its temporary file (the worker was asked, not killed)
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled.db'))).toEqual([])
  })
})
