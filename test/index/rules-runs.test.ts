// Rules during indexing and rules runs later (without re-indexing) raise exactly the alerts `peregrine scan`
// raises for the same rules on the same capture; the latest complete run is the one the views show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildIndex } from '../../src-main/engine/index/build'
import { runRules } from '../../src-main/engine/index/rules-run'
import { prepareRuleset } from '../../src-main/engine/index/rules-prepare'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { scanCapture } from '../../src-main/engine/rules/scan'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { alerts } from '../../src-main/engine/query/alerts'

const K8S = resolve(
  __dirname,
  '../../../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)
let dir = ''
let db = ''
let expected: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-rules-'))
  db = (await buildIndex({ capturePath: K8S, dbPath: join(dir, 'k8s.db'), rules: defaultRuleFiles() })).dbPath
  const prepared = prepareRuleset(defaultRuleFiles())
  if (prepared.ruleset === null) throw new Error(prepared.error ?? 'rules did not load')
  const got: string[] = []
  await scanCapture(K8S, prepared.ruleset, (a) => got.push(`${a.evtNum} ${a.rule} ${a.message}`))
  expected = got.sort()
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function runAlerts(runId: number): string[] {
  const d = new Database(db, { readonly: true })
  try {
    return (
      d.prepare('SELECT num, rule, output FROM alerts WHERE run_id = ?').all(runId) as {
        num: number
        rule: string
        output: string
      }[]
    )
      .map((a) => `${a.num} ${a.rule} ${a.output}`)
      .sort()
  } finally {
    d.close()
  }
}

describe('rules runs', () => {
  it('the import raises the alerts peregrine scan raises', () => {
    expect(expected.length).toBeGreaterThan(0)
    expect(runAlerts(1)).toEqual(expected)
  })

  it('a later run without re-indexing raises the same alerts and becomes the active run', async () => {
    const r = await runRules(db, defaultRuleFiles())
    expect(r.status).toBe('complete')
    expect(r.runId).toBe(2)
    expect(runAlerts(2)).toEqual(expected)
    const q = QueryDb.open(db)
    try {
      expect(q.activeRun()).toBe(2)
      const a = alerts(q)
      expect(a.rows.length).toBe(expected.length)
      expect(a.rows.every((x) => x.upid !== null && x.procName !== '')).toBe(true)
    } finally {
      q.close()
    }
  })

  it('a run with a rule disabled leaves its alerts out', async () => {
    const names = new Database(db, { readonly: true })
    const ruleNames = (
      names.prepare('SELECT DISTINCT rule FROM alerts WHERE run_id = 2').all() as { rule: string }[]
    ).map((x) => x.rule)
    names.close()
    const off = ruleNames[0] ?? ''
    const r = await runRules(db, defaultRuleFiles(), { options: { disable: [off] } })
    expect(r.status).toBe('complete')
    const d = new Database(db, { readonly: true })
    try {
      const left = d.prepare('SELECT DISTINCT rule FROM alerts WHERE run_id = ?').all(r.runId) as {
        rule: string
      }[]
      expect(left.map((x) => x.rule)).not.toContain(off)
      expect(left.length).toBe(ruleNames.length - 1)
    } finally {
      d.close()
    }
  })
})
