// Falco's published expectations, reproduced: every case of Falco's test suites (falco_tests.yaml,
// falco_tests_exceptions.yaml) whose capture is in the corpus and whose rules files were published is run
// through `peregrine scan`'s pipeline with the case's options (priority, -t/-T/-D), and the per-rule counts
// (detect_counts) and detect/detect_level outcomes must be Falco's. The Sysdig agent's Falco tests (agent-libs)
// are run too. The table is printed; cases that cannot run are listed with the reason.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { load } from 'js-yaml'
import { afterAll, describe, expect, test } from 'vitest'
import { parsePriority, priorityName } from '../../src-main/engine/rules/loader/items'
import type { FileInput } from '../../src-main/engine/rules/loader/load-rules'
import type { RulesetOptions } from '../../src-main/engine/rules/ruleset'
import { CORPUS, EXPECTED, SHARED, asList, falcoTestCases, falcoTestRulesPath } from './falco-fixtures'
import type { FalcoTestCase } from './falco-fixtures'
import { loadWithFields, scanWith } from './scan-helpers'

const TRACE_FILES: Record<string, string> = {
  'trace_files/cat_write.scap': 'falcosecurity__falco/test__trace_files__cat_write.scap',
  'trace_files/connect_localhost.scap': 'falcosecurity__falco/test__trace_files__connect_localhost.scap',
  'trace_files/empty.scap': 'falcosecurity__falco/test__trace_files__empty.scap',
  'trace_files/open-multiple-files.scap': 'falcosecurity__falco/test__trace_files__open-multiple-files.scap',
  'trace_files/ping_sendto.scap': 'falcosecurity__falco/test__trace_files__ping_sendto.scap',
  'trace_files/syscall.scap': 'falcosecurity__falco/test__trace_files__syscall.scap'
}

interface Row {
  suite: string
  test: string
  capture: string
  expected: string
  got: string
  status: 'match' | 'MISMATCH' | 'not run'
  reason?: string
}
const table: Row[] = []

/** Rules files of a case: a directory entry (rules/rules_dir) expands to its stored files, sorted. */
function ruleInputs(rels: string[]): FileInput[] | string {
  const out: FileInput[] = []
  for (const r of rels) {
    const p = falcoTestRulesPath(r)
    if (existsSync(p)) {
      out.push({ name: r, text: readFileSync(p, 'utf8') })
      continue
    }
    const prefix = path.basename(p) + '__'
    const dirFiles = ['000-single_rule.yaml', '001-double_rule.yaml']
      .map((f) => path.join(EXPECTED, prefix + f))
      .filter(existsSync)
    if (r === 'rules/rules_dir' && dirFiles.length > 0) {
      for (const f of dirFiles) out.push({ name: f, text: readFileSync(f, 'utf8') })
      continue
    }
    return `rules file ${r} was not published with the tests`
  }
  return out
}

function whyNotRun(c: FalcoTestCase): string | undefined {
  if (c.trace_file === undefined) return 'no capture (validation-only case, see loader.test.ts)'
  if (TRACE_FILES[c.trace_file] === undefined)
    return `capture ${c.trace_file} is not in the corpus (Falco publishes its attack traces only as downloads)`
  if (asList(c.rules_file).length === 0) return 'validation-only case (see loader.test.ts)'
  if (c.conf_file !== undefined)
    return `depends on falco.yaml settings (${c.conf_file}): syscall-drop alerts / output channels, not rules`
  if (c.exit_status !== undefined && c.exit_status !== 0)
    return 'expects Falco to refuse the rules (see loader.test.ts)'
  return undefined
}

function caseOptions(c: FalcoTestCase, ruleNames: string[]): RulesetOptions {
  const o: RulesetOptions = {}
  if (typeof c.priority === 'string') o.minPriority = parsePriority(c.priority) ?? 7
  if (c.run_tags !== undefined) o.tags = c.run_tags
  if (c.disable_tags !== undefined) o.disableTags = c.disable_tags
  // falco -D: disable every rule whose name matches the regular expression (substring search).
  if (c.disabled_rules !== undefined) {
    const res = c.disabled_rules.map((d) => new RegExp(d))
    o.disable = ruleNames.filter((n) => res.some((re) => re.test(n)))
  }
  return o
}

interface Runnable {
  suite: string
  c: FalcoTestCase
  capture: string
  rules: FileInput[]
}
const runnable: Runnable[] = []
for (const suite of ['test__falco_tests.yaml', 'test__falco_tests_exceptions.yaml']) {
  for (const c of falcoTestCases(suite)) {
    const why = whyNotRun(c)
    const rules = why === undefined ? ruleInputs(asList(c.rules_file)) : why
    if (typeof rules === 'string') {
      table.push({
        suite,
        test: c.name,
        capture: c.trace_file ?? '',
        expected: '',
        got: '',
        status: 'not run',
        reason: rules
      })
      continue
    }
    runnable.push({ suite, c, capture: path.join(CORPUS, TRACE_FILES[c.trace_file ?? ''] ?? ''), rules })
  }
}

// Suites whose cases cannot run here, listed in the table with the reason.
for (const c of falcoTestCases('psp@8dd4beac__test__falco_tests_psp.yaml'))
  table.push({
    suite: 'falco_tests_psp.yaml',
    test: c.name,
    capture: c.trace_file ?? '',
    expected: JSON.stringify(c.detect_counts ?? []),
    got: '',
    status: 'not run',
    reason: (c.trace_file ?? '').endsWith('.json')
      ? 'k8s audit events (JSON), not a syscall capture'
      : "rules generated from a PodSecurityPolicy by Falco's PSP converter, never published"
  })
const tracesText = readFileSync(path.join(EXPECTED, 'test__falco_traces.yaml.in'), 'utf8').replace(
  /!mux/g,
  ''
)
const traces = Object.keys((load(tracesText) as { traces?: Record<string, unknown> }).traces ?? {})
for (const t of traces)
  table.push({
    suite: 'falco_traces.yaml.in',
    test: t,
    capture: 'traces-positive/…',
    expected: '',
    got: '',
    status: 'not run',
    reason: 'Falco publishes these attack traces only as a download; they are not in the corpus'
  })

function levelsOf(c: FalcoTestCase): string[] {
  return asList(c.detect_level).map((l) => priorityName(parsePriority(l) ?? 7))
}

describe("Falco's published detections", () => {
  test('enough cases run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(60)
  })

  test.each(runnable.map((r) => [`${r.suite.replace('test__', '')}: ${r.c.name}`, r] as const))(
    '%s',
    async (_n, r) => {
      const names = [...loadWithFields(r.rules).collected.rules.keys()]
      const out = await scanWith(r.capture, r.rules, caseOptions(r.c, names), { countOnly: true })
      const got = out.byRule
      const want: Record<string, number> = {}
      for (const m of r.c.detect_counts ?? [])
        for (const [k, v] of Object.entries(m)) want[k] = (want[k] ?? 0) + v
      const gotCounts = Object.fromEntries(Object.keys(want).map((k) => [k, got.get(k) ?? 0]))
      const levels = [...new Set(out.alertList.map((a) => priorityName(a.priority)))].sort()
      const wantLevels = levelsOf(r.c).sort()
      const detect = r.c.detect
      const row: Row = {
        suite: r.suite,
        test: r.c.name,
        capture: r.c.trace_file ?? '',
        expected: `${Object.keys(want).length > 0 ? JSON.stringify(want) : ''} detect=${String(detect)}${wantLevels.length > 0 ? ` levels=${wantLevels.join('/')}` : ''}`,
        got: `${Object.keys(want).length > 0 ? JSON.stringify(gotCounts) : ''} alerts=${String(out.alerts)} levels=${levels.join('/')}`,
        status: 'match'
      }
      table.push(row)
      let ok = JSON.stringify(gotCounts) === JSON.stringify(want)
      if (detect === true) ok &&= out.alerts > 0 && wantLevels.every((l) => levels.includes(l))
      if (detect === false) ok &&= out.alerts === 0
      if (!ok) row.status = 'MISMATCH'
      expect(gotCounts).toEqual(want)
      if (detect === true) {
        expect(out.alerts).toBeGreaterThan(0)
        for (const l of wantLevels) expect(levels).toContain(l)
      }
      if (detect === false) expect(out.alerts).toBe(0)
    }
  )
})

// The Sysdig agent's Falco tests (falco_events_test.cpp in agent-libs): which priorities alert on which capture.
const AGENT = path.join(SHARED, 'corpus/expected/zjuzzb__agent-libs')
const AGENT_CASES: [capture: string, rules: string, warning: 'some' | 'none', error: 'some' | 'none'][] = [
  ['match-system-rules.scap', 'test__resources__falco__falco_rules.default.yaml', 'some', 'none'],
  ['match-user-rules.scap', 'test__resources__falco__user_falco_rules@9d768a5e.yaml', 'none', 'some'],
  ['match-nothing.scap', 'test__resources__falco__falco_rules.default.yaml', 'none', 'none'],
  ['match-nothing.scap', 'test__resources__falco__user_falco_rules@9d768a5e.yaml', 'none', 'none']
]

describe("the Sysdig agent's Falco tests", () => {
  test.each(AGENT_CASES)('%s with %s', async (capture, rules, warning, error) => {
    const file = path.join(CORPUS, 'zjuzzb__agent-libs', 'test__resources__falco__' + capture)
    const out = await scanWith(
      file,
      [{ name: rules, text: readFileSync(path.join(AGENT, rules), 'utf8') }],
      {},
      { countOnly: true }
    )
    const n = (p: string): number => out.alertList.filter((a) => priorityName(a.priority) === p).length
    table.push({
      suite: 'agent-libs',
      test: capture,
      capture: rules,
      expected: `warning=${warning} error=${error}`,
      got: `warning=${String(n('Warning'))} error=${String(n('Error'))}`,
      status:
        n('Warning') > 0 === (warning === 'some') && n('Error') > 0 === (error === 'some')
          ? 'match'
          : 'MISMATCH'
    })
    expect(n('Warning') > 0).toBe(warning === 'some')
    expect(n('Error') > 0).toBe(error === 'some')
  })
})

afterAll(() => {
  const lines = table.map(
    (r) =>
      `${r.status.padEnd(8)} ${r.suite.replace('test__', '').padEnd(26)} ${r.test.padEnd(44)} ${r.expected}${r.got !== '' ? ` | got ${r.got}` : ''}${r.reason !== undefined ? ` — ${r.reason}` : ''}`
  )
  const counts = {
    match: table.filter((r) => r.status === 'match').length,
    mismatch: table.filter((r) => r.status === 'MISMATCH').length,
    notRun: table.filter((r) => r.status === 'not run').length
  }
  console.log(
    `Falco expectations: ${String(counts.match)} match, ${String(counts.mismatch)} mismatch, ${String(counts.notRun)} not run\n` +
      lines.join('\n')
  )
})
