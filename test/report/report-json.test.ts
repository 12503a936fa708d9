// The JSON report: a golden file for the Kubernetes corpus capture (a stable real capture; generation time,
// index time, tool version and paths normalised), validated against docs/report.schema.json. On our recorded
// reverse-shell sample (re-recorded from time to time, so checked by pattern): its Falco JSON lines equal what
// the rule scanner prints for the same capture (`peregrine scan --json --iso8601`), findings carry the MITRE
// names, and --min-priority leaves lower alerts out and says so.
// Regenerate the golden file with UPDATE_GOLDEN=1 only after checking the differences by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { sha256File } from '../../src-main/engine/index/locate'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { prepareRuleset } from '../../src-main/engine/index/rules-prepare'
import { scanCapture } from '../../src-main/engine/rules/scan'
import { buildReport, renderReport, type IncidentReport } from '../../src-main/engine/report/index'
import * as prettier from 'prettier'
import { validate } from './schema-check'
import { hostileCapture } from '../fixtures/hostile-capture'
import * as W from '../fixtures/scap-writer'

const ROOT = resolve(__dirname, '../..')
const SHARED = resolve(ROOT, '../shared')
const SAMPLE = join(ROOT, 'samples/reverse-shell.scap')
const K8S = join(SHARED, 'corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap')
const GOLDEN = join(__dirname, 'golden/k8s.report.json')
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as Record<
  string,
  unknown
>
const FIXED = new Date('2026-01-02T03:04:05.000Z')

let dir = ''
let db = ''
let k8sDb = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-report-json-'))
  const rules = defaultRuleFiles()
  db = (await buildIndex({ capturePath: SAMPLE, dbPath: join(dir, 'rs.db'), rules })).dbPath
  k8sDb = (await buildIndex({ capturePath: K8S, dbPath: join(dir, 'k8s.db'), rules })).dbPath
}, 120_000)

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

/** Replaces what changes from run to run or machine to machine. */
function normalise(r: IncidentReport): unknown {
  const text = JSON.stringify(r).split(SHARED).join('<shared>').split(ROOT).join('<repo>')
  const n = JSON.parse(text) as IncidentReport
  n.tool.version = '<version>'
  n.evidence.indexedAt = '<indexed-at>'
  n.evidence.indexedBy = '<version>'
  n.rules.startedAt = '<started-at>'
  return n
}

describe('JSON report', () => {
  it('of the Kubernetes capture matches the golden file and the schema', async () => {
    const r = buildReport(k8sDb, {
      generatedAt: FIXED,
      title: 'Kubernetes capture',
      notes: 'Checked by hand.\n'
    })
    const json = renderReport(r, 'json')
    const parsed = JSON.parse(json) as unknown
    expect(validate(SCHEMA, parsed)).toEqual([])
    const got = normalise(r)
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      // written as the repository's prettier would format it, so the format check stays clean
      const options = (await prettier.resolveConfig(GOLDEN)) ?? {}
      writeFileSync(GOLDEN, await prettier.format(JSON.stringify(got), { ...options, parser: 'json' }))
    }
    expect(got).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')))
  })

  it('the schema check rejects a report that breaks the schema', () => {
    const r = JSON.parse(renderReport(buildReport(db, { generatedAt: FIXED }), 'json')) as Record<
      string,
      Record<string, unknown>
    >
    const ev = r.evidence ?? {}
    delete ev.sha256
    const sum = r.summary ?? {}
    sum.byPriority = [{ key: 'SEVERE', count: 1 }]
    r.extra = {}
    expect(validate(SCHEMA, r).sort()).toEqual([
      '$.evidence: missing sha256',
      '$.summary.byPriority[0].key: "SEVERE" not in enum',
      '$: unexpected property extra'
    ])
  })

  it('names the tactics and techniques, the evidence and the indicators', async () => {
    const r = buildReport(db, { generatedAt: FIXED })
    expect(r.evidence.sha256).toBe(await sha256File(SAMPLE))
    expect(r.evidence.start.utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
    expect(r.rules.files.map((f) => f.path.replace(ROOT, ''))).toEqual([
      '/rules/lists/peregrine-lists.yaml',
      '/rules/peregrine-rules.yaml'
    ])
    expect(r.rules.files.every((f) => f.unchanged && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true)
    const shell = r.findings.find((f) => f.rule === 'Reverse shell')
    expect(shell?.priority).toBe('CRITICAL')
    expect(shell?.count).toBe(3)
    expect(shell?.tactics).toEqual([{ tag: 'mitre_execution', id: 'TA0002', name: 'Execution' }])
    expect(shell?.techniques.map((t) => t.label)).toEqual(['T1059 Command and Scripting Interpreter'])
    expect(shell?.events.map((e) => e.type)).toEqual(['dup', 'dup', 'dup'])
    // lineage: root first, the alerting bash last and marked
    const last = shell?.lineage[shell.lineage.length - 1]
    expect(last?.alerting).toBe(true)
    expect(last?.cmdline).toBe('bash --norc --noprofile -i')
    expect(shell?.network.some((n) => n.tuple.endsWith('->198.51.100.2:4444'))).toBe(true)
    expect(r.iocs.remoteEndpoints.map((e) => `${e.address}:${String(e.port)}`)).toContain('198.51.100.2:4444')
    expect(r.iocs.commands.some((c) => c.cmdline.includes('/dev/tcp/198.51.100.2/4444'))).toBe(true)
    expect(r.summary.containers).toEqual([{ id: '16d22dc20906', name: 'api', image: 'python:3.11-slim' }])
    expect(r.appendix.rules.length).toBe(r.rules.rulesEnabled)
    expect(r.appendix.rules.find((x) => x.name === 'Reverse shell')?.fired).toBe(3)
  })

  it('carries the alerts as the Falco JSON lines the rule scanner prints', async () => {
    const r = buildReport(db, { generatedAt: FIXED })
    const prepared = prepareRuleset(defaultRuleFiles())
    if (prepared.ruleset === null) throw new Error(prepared.error ?? 'no ruleset')
    const lines: string[] = []
    await scanCapture(SAMPLE, prepared.ruleset, (a) => lines.push(a.json), { iso8601: true })
    expect(lines.length).toBe(4)
    expect(r.falcoJson).toEqual(lines)
    for (const l of r.falcoJson) {
      const o = JSON.parse(l) as Record<string, unknown>
      expect(Object.keys(o)).toEqual([
        'hostname',
        'output',
        'output_fields',
        'priority',
        'rule',
        'source',
        'tags',
        'time'
      ])
    }
    // the u64 time is kept exact (as digits), not rounded through a double
    const first = r.findings.flatMap((f) => f.alerts).sort((a, b) => a.id - b.id)[0]
    expect(r.falcoJson[0]).toContain(`"evt.time.iso8601":${first?.ts ?? 'x'}`)
    expect(renderReport(r, 'jsonl')).toBe(lines.join('\n') + '\n')
  })

  it('leaves out alerts below --min-priority and says so', () => {
    const r = buildReport(db, { generatedAt: FIXED, minPriority: 'WARNING' })
    expect(r.summary.alertsAll).toBe(4)
    expect(r.summary.alerts).toBe(3)
    expect(r.findings.map((f) => f.rule)).toEqual(['Reverse shell'])
    expect(r.falcoJson.length).toBe(3)
    expect(r.dataQuality.warnings.some((w) => w.includes('1 alerts below WARNING'))).toBe(true)
    expect(validate(SCHEMA, JSON.parse(renderReport(r, 'json')))).toEqual([])
  })
})

describe('damaged, empty and hostile captures', () => {
  const cases: { name: string; bytes: () => Buffer; complete: boolean; warning: RegExp }[] = [
    {
      name: 'truncated at 60%',
      bytes: () => {
        const b = readFileSync(SAMPLE)
        return b.subarray(0, Math.floor(b.length * 0.6))
      },
      complete: false,
      warning: /^the capture could not be read to its end: .*truncated.* at byte offset \d+/
    },
    {
      name: 'no events',
      bytes: () => {
        const w = new W.ScapWriter()
        w.shb({ major: 1, minor: 2 })
        w.mi({ cpus: 1, memory: 2 ** 30, maxPid: 32768, hostname: 'empty', bootTs: 0n })
        return w.toBuffer()
      },
      complete: true,
      warning: /^the capture holds no events/
    },
    { name: 'hostile strings', bytes: hostileCapture, complete: true, warning: /.*/ }
  ]
  for (const c of cases)
    it(`${c.name}: says so, and the report is valid against the schema`, async () => {
      const file = join(dir, `${c.name.replace(/\W+/g, '-')}.scap`)
      writeFileSync(file, c.bytes())
      const b = await buildIndex({ capturePath: file, dbPath: `${file}.db`, rules: defaultRuleFiles() })
      const r = buildReport(b.dbPath, { generatedAt: FIXED })
      expect(r.dataQuality.complete).toBe(c.complete)
      expect(r.dataQuality.warnings[0] ?? '').toMatch(c.warning)
      expect(validate(SCHEMA, JSON.parse(renderReport(r, 'json')))).toEqual([])
    })
})
