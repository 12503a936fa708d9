// `peregrine rules validate|list|expand` and `peregrine scan`, run in-process (their `run` functions) with
// stdout/stderr captured: expanded conditions, validation output and exit codes, Falco's exact alert lines.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { run as rulesCmd } from '../../src-main/engine/cli/cmd-rules'
import { run as scanCmd } from '../../src-main/engine/cli/cmd-scan'
import { CORPUS, EXPECTED, FALCO_RULES, falcoTestRulesPath } from './falco-fixtures'
import { captureOutput as capture } from '../fixtures/capture-output'

const T = (rel: string): string => falcoTestRulesPath(rel)
const CAT_WRITE = path.join(CORPUS, 'falcosecurity__falco/test__trace_files__cat_write.scap')

// rules file, rule, fully expanded condition (list substitution and macro expansion as Falco does them)
const EXPAND: [string, string, string][] = [
  ['rules/single_rule.yaml', 'open_from_cat', 'evt.type = open and (proc.name in (cat))'],
  ['rules/list_sub_bare.yaml', 'open_from_cat', 'evt.type = open and (proc.name = cat)'],
  ['rules/list_sub_front.yaml', 'open_from_cat', 'evt.type = open and (proc.name in (cat, ps))'],
  ['rules/list_sub_mid.yaml', 'open_from_cat', 'evt.type = open and (proc.name in (ls, cat, ps))'],
  ['rules/list_sub_end.yaml', 'open_from_cat', 'evt.type = open and (proc.name in (ls, cat))'],
  [
    'rules/list_sub_whitespace.yaml',
    'open_from_cat',
    'evt.type = open and (proc.name = cat or proc.name = nopey)'
  ],
  // a list name inside a longer word is not substituted
  ['rules/list_substring.yaml', 'my_rule', 'evt.type = open and fd.name in (file_my_list)'],
  [
    'rules/exceptions/rule_exception_values_listref.yaml',
    'Open From Cat',
    '(evt.type = open and proc.name = cat) and not (proc.name = cat and proc.cmdline in ("cat /dev/zero", "cat /dev/null"))'
  ],
  [
    'rules/exceptions/rule_exception_single_field.yaml',
    'Open From Cat',
    '(evt.type = open and proc.name = cat) and not proc.cmdline in ("cat /dev/zero", "cat /dev/null")'
  ]
]

describe('peregrine rules expand', () => {
  test.each(EXPAND)('%s: %s', async (file, rule, want) => {
    const r = await capture(() => rulesCmd(['expand', T(file), '--rule', rule]))
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out.trim()).toBe(want)
  })

  test('unknown rule: exit 1', async () => {
    const r = await capture(() => rulesCmd(['expand', T('rules/single_rule.yaml'), '--rule', 'nope']))
    expect(r.code).toBe(1)
    expect(r.err).toContain("no rule named 'nope'")
  })
})

describe('peregrine rules validate', () => {
  test('the official latest files: Ok, exit 0', async () => {
    const dir = path.join(FALCO_RULES, 'latest-falcosecurity-rules-c72713ee2e63')
    const files = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) =>
      path.join(dir, f)
    )
    const r = await capture(() => rulesCmd(['validate', ...files]))
    expect(r.code).toBe(0)
    for (const f of files) expect(r.out).toContain(`${f}: Ok`)
  })

  test('an invalid file: the code, the item, file:line:column and an excerpt; exit 1', async () => {
    const f = T('rules/invalid_rule_output.yaml')
    const r = await capture(() => rulesCmd(['validate', f]))
    expect(r.code).toBe(1)
    expect(r.out).toContain(`${f}: Invalid`)
    expect(r.out).toContain(
      'LOAD_ERR_COMPILE_OUTPUT (Error compiling output): invalid formatting token not_a_real_field'
    )
    expect(r.out).toMatch(
      new RegExp(
        `rule 'rule_with_invalid_output': \\(${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)`
      )
    )
    expect(r.out).toContain('^')
  })

  test('usage errors exit 2', async () => {
    expect((await capture(() => rulesCmd(['validate']))).code).toBe(2)
    expect((await capture(() => rulesCmd(['frobnicate']))).code).toBe(2)
  })
})

describe('peregrine rules list', () => {
  test('a rules directory loads its lists/ first: our rules/ lists 33 rules', async () => {
    const r = await capture(() => rulesCmd(['list', path.resolve(__dirname, '../../rules'), '--json']))
    expect(r.err).toBe('')
    expect((JSON.parse(r.out) as unknown[]).length).toBe(33)
  })

  test('--json lists every rule with its event types', async () => {
    const r = await capture(() => rulesCmd(['list', T('rules/catchall_order.yaml'), '--json']))
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.out) as { rule: string; priority: string; evt_types: string[] }[]
    expect(rows.map((x) => [x.rule, x.priority, x.evt_types.join(',')])).toEqual([
      ['open_dev_null', 'Informational', 'open'],
      ['dev_null', 'Informational', 'all']
    ])
  })
})

describe('peregrine scan', () => {
  test("single_rule on cat_write.scap: Falco's published text lines, byte for byte", async () => {
    const r = await capture(() => scanCmd([CAT_WRITE, '-r', T('rules/single_rule.yaml'), '--iso8601']))
    expect(r.code).toBe(0)
    const want = readFileSync(
      path.join(EXPECTED, 'test__output_files__single_rule_with_cat_write.txt'),
      'utf8'
    ).trim()
    expect(r.out.trim()).toBe(want)
  })

  test("single_rule_with_tags, --json: Falco's published JSON objects (hostname aside)", async () => {
    const r = await capture(() =>
      scanCmd([CAT_WRITE, '-r', T('rules/single_rule_with_tags.yaml'), '--iso8601', '--json'])
    )
    expect(r.code).toBe(0)
    const strip = (o: Record<string, unknown>): Record<string, unknown> => ({ ...o, hostname: '' })
    const got = r.out
      .trim()
      .split('\n')
      .map((l) => strip(JSON.parse(l) as Record<string, unknown>))
    const want = readFileSync(
      path.join(EXPECTED, 'test__output_files__single_rule_with_cat_write.json'),
      'utf8'
    )
      .trim()
      .split('\n')
      .map((l) => strip(JSON.parse(l) as Record<string, unknown>))
    expect(got).toEqual(want)
  })

  test('--rule-matching first vs all, --min-priority, --disable, --stats', async () => {
    const rules = ['-r', T('rules/catchall_order.yaml')]
    const first = await capture(() => scanCmd([CAT_WRITE, ...rules, '--stats']))
    expect(first.err).toContain('open_dev_null (Informational): 1')
    expect(first.err).toContain('dev_null (Informational): 6')
    const all = await capture(() => scanCmd([CAT_WRITE, ...rules, '--stats', '--rule-matching', 'all']))
    expect(all.err).toContain('dev_null (Informational): 7')
    const min = await capture(() => scanCmd([CAT_WRITE, ...rules, '--min-priority', 'warning']))
    expect(min.out).toBe('')
    const dis = await capture(() => scanCmd([CAT_WRITE, ...rules, '--disable', 'open_dev_null', '--stats']))
    expect(dis.err).toContain('dev_null (Informational): 7')
    expect(dis.err).not.toContain('open_dev_null')
  })

  test('a truncated capture: the alerts before the damage, then exit 1; HTML instead of a capture: exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-scan-'))
    try {
      const raw = gunzipSync(readFileSync(CAT_WRITE))
      const cut = path.join(dir, 'cut.scap')
      writeFileSync(cut, raw.subarray(0, raw.length - 10))
      const r = await capture(() => scanCmd([cut, '-r', T('rules/catchall_order.yaml')]))
      expect(r.code).toBe(1)
      expect(r.out.split('\n').filter((l) => l !== '').length).toBeGreaterThan(0)
      expect(r.err).toContain('truncated')
      const html = path.join(dir, 'page.scap')
      writeFileSync(html, '<html><script>alert(1)</script></html>')
      expect((await capture(() => scanCmd([html]))).code).toBe(2)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('invalid rules, missing capture and bad options exit 2', async () => {
    expect((await capture(() => scanCmd([CAT_WRITE, '-r', T('rules/invalid_rule_output.yaml')]))).code).toBe(
      2
    )
    expect((await capture(() => scanCmd(['/nonexistent.scap']))).code).toBe(2)
    expect((await capture(() => scanCmd([CAT_WRITE, '--rule-matching', 'some']))).code).toBe(2)
    expect((await capture(() => scanCmd([CAT_WRITE, '--min-priority', 'loud']))).code).toBe(2)
  })
})
