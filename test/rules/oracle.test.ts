// Oracle test: sysdig 0.29.3 evaluates the same condition language. For every rule of Falco 0.32.2's and
// 0.29.1's falco_rules.yaml (enabled or not), and of Peregrine's default rules, whose fully expanded condition sysdig accepts, the events our
// engine alerts on with rule matching `all` must be exactly the events `sysdig -r F -d -p '%evt.num' '<cond>'`
// prints, on every corpus capture sysdig reads and on the synthetic captures of the default-rule tests. `-d` makes the filter a display filter: sysdig applies it after
// its state engine has processed the event, which is when Falco (and we) evaluate rules.
//
// Alerts on events sysdig never prints (container and other internal events) are left out of the comparison;
// events are numbered as sysdig 0.29.3 numbers them (decoder eventSet 'sysdig0293'). When a rule's inferred
// event-type set has no event in a capture, both sides are 0 by construction and sysdig is not run.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { printCondition } from '../../src-main/engine/filter/print'
import { buildRuleset } from '../../src-main/engine/rules/ruleset'
import { RuleScanner } from '../../src-main/engine/rules/scan'
import { RULE_FIELDS } from '../../src-main/engine/rules/syscall-fields'
import { readCapture } from '../../src-main/engine/capture/read-capture'
import type { FileInput, LoadedRule } from '../../src-main/engine/rules/loader/load-rules'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { CORPUS, SHARED, officialFiles } from './falco-fixtures'
import { CASES } from './default-rule-scenes'
import type { Scene } from './scenario'
import { loadWithFields } from './scan-helpers'

const SYSDIG = '/usr/bin/sysdig'

function sysdigCaptures(): string[] {
  const rows = readFileSync(path.join(SHARED, 'corpus/MANIFEST.tsv'), 'utf8').trim().split('\n')
  const head = (rows[0] ?? '').split('\t')
  const iFile = head.indexOf('file')
  const iReads = head.indexOf('sysdig_reads')
  return rows
    .slice(1)
    .map((r) => r.split('\t'))
    .filter((c) => c[iReads] === 'yes')
    .map((c) => c[iFile] ?? '')
}

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(SYSDIG, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    p.stdout.on('data', (b: Buffer) => out.push(b))
    p.stderr.on('data', (b: Buffer) => err.push(b))
    p.on('close', (code) => {
      resolve({
        code: code ?? -1,
        out: Buffer.concat(out).toString('utf8'),
        err: Buffer.concat(err).toString('utf8')
      })
    })
  })
}

/** sysdig results by capture and condition: identical rules of 0.29.1 and 0.32.2 run once. */
const sysdigCache = new Map<string, Promise<{ code: number; out: string; err: string }>>()
function sysdigFilter(file: string, condition: string): Promise<{ code: number; out: string; err: string }> {
  const key = file + '\0' + condition
  let p = sysdigCache.get(key)
  if (p === undefined) {
    p = run(['-r', file, '-d', '-p', '%evt.num', condition])
    sysdigCache.set(key, p)
  }
  return p
}

/** Runs jobs two at a time (the machine has two cores shared with everyone). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++
      const job = jobs[i]
      if (job !== undefined) out[i] = await job()
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
  return out
}

interface RuleCase {
  set: string
  rule: LoadedRule
  condition: string
  accepted: boolean
  reason?: string
}

const SETS = ['old-0.32.2', 'old-0.29.1', 'peregrine-default']

function setFiles(set: string): FileInput[] {
  if (set !== 'peregrine-default') return officialFiles(set)
  return defaultRuleFiles().map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))
}
// Corpus captures by path, plus the synthetic positive/negative captures of the default-rule tests (they make
// many of Falco's rules fire, which the corpus rarely does).
const sceneDir = mkdtempSync(path.join(tmpdir(), 'pg-oracle-'))
const captures: [label: string, file: string][] = [
  ...sysdigCaptures().map((c): [string, string] => [c, path.join(CORPUS, c)]),
  ...CASES.flatMap(([rule, pos, neg], i): [string, string][] =>
    [
      ['pos', pos],
      ['neg', neg]
    ].map(([kind, build]) => {
      const file = path.join(sceneDir, `${String(i)}-${String(kind)}.scap`)
      writeFileSync(file, (build as () => Scene)().toBuffer())
      return [`scene ${rule} (${String(kind)})`, file]
    })
  )
]
const mismatches: string[] = []
const summary: string[] = []
let compared = 0
let matchedAlerts = 0

describe('oracle: peregrine scan --rule-matching all == sysdig -d filter', () => {
  for (const set of SETS) {
    const load = loadWithFields(setFiles(set))
    const cases: RuleCase[] = load.rules.map((r) => ({
      set,
      rule: r,
      condition: printCondition(r.ast),
      accepted: true
    }))
    const ruleset = buildRuleset(load, RULE_FIELDS, { matching: 'all', enable: ['*'] })

    test(`${set}: sysdig accepts the expanded conditions`, async () => {
      expect(load.ok).toBe(true)
      const probe = path.join(CORPUS, 'falcosecurity__falco/test__trace_files__cat_write.scap')
      const res = await pool(cases.map((c) => () => sysdigFilter(probe, c.condition)))
      res.forEach((r, i) => {
        const c = cases[i]
        if (c === undefined || r.code === 0) return
        c.accepted = false
        c.reason = r.err.trim().split('\n')[0] ?? `exit ${String(r.code)}`
      })
      const refused = cases.filter((c) => !c.accepted)
      summary.push(
        `${set}: ${String(cases.length)} rules, sysdig refuses ${String(refused.length)}: ${refused.map((c) => `${c.rule.def.name} (${c.reason ?? ''})`).join('; ')}`
      )
      // sysdig 0.29.3 should know this language: only a few rules may use something newer
      expect(refused.length).toBeLessThanOrEqual(Math.ceil(cases.length / 10))
    }, 600_000)

    for (const [cap, file] of captures) {
      test(`${set} on ${cap}`, async () => {
        const ours = new Map<string, number[]>()
        const seen = new Uint8Array(1024)
        const scanner = new RuleScanner(
          ruleset,
          (a) => {
            if (a.hidden) return
            const l = ours.get(a.rule)
            if (l === undefined) ours.set(a.rule, [a.evtNum])
            else l.push(a.evtNum)
          },
          { countOnly: true }
        )
        const inner = scanner.event.bind(scanner)
        scanner.event = (ev) => {
          seen[ev.type] = 1
          return inner(ev)
        }
        await readCapture(file, scanner, { eventSet: 'sysdig0293' })
        const relevant = cases.filter(
          (c) => c.accepted && c.rule.codes.some((b, code) => b === 1 && seen[code] === 1)
        )
        const results = await pool(relevant.map((c) => () => sysdigFilter(file, c.condition)))
        const bad: string[] = []
        relevant.forEach((c, i) => {
          const r = results[i]
          if (r === undefined) return
          const want = r.out
            .split('\n')
            .filter((l) => l !== '')
            .map(Number)
          const got = ours.get(c.rule.def.name) ?? []
          compared++
          if (want.join(',') === got.join(',')) {
            matchedAlerts += got.length
            return
          }
          const wantSet = new Set(want)
          const gotSet = new Set(got)
          const missing = want.filter((n) => !gotSet.has(n)).slice(0, 5)
          const extra = got.filter((n) => !wantSet.has(n)).slice(0, 5)
          bad.push(
            `${set} | ${cap} | ${c.rule.def.name}: sysdig ${String(want.length)}, ours ${String(got.length)}; missing evt.num ${missing.join(',')} extra ${extra.join(',')}`
          )
        })
        // every rule we alert on must have been compared (its types occur in the capture)
        for (const name of ours.keys())
          expect(
            relevant.some((c) => c.rule.def.name === name) ||
              cases.some((c) => !c.accepted && c.rule.def.name === name)
          ).toBe(true)
        mismatches.push(...bad)
        expect(bad).toEqual([])
      }, 600_000)
    }
  }
})

afterAll(() => {
  rmSync(sceneDir, { recursive: true, force: true })
  console.log(
    `oracle: ${String(compared)} rule×capture comparisons, ${String(matchedAlerts)} alerts identical, ${String(mismatches.length)} mismatches\n` +
      summary.join('\n') +
      (mismatches.length > 0 ? '\n' + mismatches.join('\n') : '')
  )
})
