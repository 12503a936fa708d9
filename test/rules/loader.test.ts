// Rules loader conformance: the six official files load with the inventory's counts; Falco's own loader
// tests (validate_errors / validate_warnings in falco_tests*.yaml) give the same codes, items and messages.
import { describe, expect, test } from 'vitest'
import type { FileInput, LoadResult } from '../../src-main/engine/rules/loader/load-rules'
import { asList, falcoTestCases, falcoTestRules, hasFalcoTestRules, officialFiles } from './falco-fixtures'
import { loadWithFields } from './scan-helpers'

function load(files: FileInput[]): LoadResult {
  return loadWithFields(files)
}

// FALCO_INVENTORY.md (d) "Counts per file" + counts.tsv (unused macros/lists).
const INVENTORY: [
  set: string,
  rules: number,
  enabled: number,
  macros: number,
  lists: number,
  items: number,
  unusedMacros: number,
  unusedLists: number
][] = [
  ['stable', 25, 25, 87, 49, 375, 0, 0],
  ['incubating', 31, 31, 82, 54, 448, 0, 0],
  ['sandbox', 37, 25, 183, 60, 496, 0, 0],
  ['old-0.26.0', 59, 58, 292, 108, 806, 13, 7],
  ['old-0.29.1', 66, 62, 291, 108, 808, 0, 1],
  ['old-0.32.2', 72, 68, 301, 108, 820, 0, 0],
  ['ALL-3-latest', 93, 81, 315, 118, 907, 0, 0]
]

describe('official rules files load with the inventory counts', () => {
  test.each(INVENTORY)('%s', (set, rules, enabled, macros, lists, items, unusedMacros, unusedLists) => {
    const r = load(officialFiles(set))
    const errors = r.diagnostics.filter((d) => d.severity === 'error')
    expect(errors).toEqual([])
    expect(r.ok).toBe(true)
    const c = r.collected
    const got = {
      rules: c.rules.size,
      compiled: r.rules.length,
      enabled: [...c.rules.values()].filter((x) => x.enabled).length,
      macros: c.macros.size,
      lists: c.lists.size,
      items: [...c.lists.values()].reduce((a, l) => a + l.items.length, 0),
      unusedMacros: r.diagnostics.filter((d) => d.code === 'LOAD_UNUSED_MACRO').length,
      unusedLists: r.diagnostics.filter((d) => d.code === 'LOAD_UNUSED_LIST').length
    }
    expect(got).toEqual({ rules, compiled: rules, enabled, macros, lists, items, unusedMacros, unusedLists })
  })

  test('latest files: every rule has an explicit event-type set (no LOAD_NO_EVTTYPE)', () => {
    const r = load(officialFiles('ALL-3-latest'))
    expect(r.diagnostics.filter((d) => d.code === 'LOAD_NO_EVTTYPE')).toEqual([])
  })

  test('stable → incubating → sandbox: a redefinition replaces the list everywhere (uv dropped)', () => {
    const stable = load(officialFiles('stable'))
    const all = load(officialFiles('ALL-3-latest'))
    expect(stable.collected.lists.get('python_package_managers')?.items).toEqual([
      'pip',
      'pip3',
      'conda',
      'uv'
    ])
    expect(all.collected.lists.get('python_package_managers')?.items).toEqual(['pip', 'pip3', 'conda'])
    // keeps its first-definition position: the stable rules keep their order at the front
    const names = all.rules.map((x) => x.def.name)
    const stableNames = stable.rules.map((x) => x.def.name)
    expect(names.slice(0, stableNames.length)).toEqual(stableNames)
  })
})

interface ErrRow {
  test: string
  files: string[]
  code: string
  itemType: string
  itemName: string
  message: string
  contains: boolean
}

const errorRows: ErrRow[] = []
const warningRows: (ErrRow & { severity: 'warning' })[] = []
for (const file of ['test__falco_tests.yaml', 'test__falco_tests_exceptions.yaml']) {
  for (const c of falcoTestCases(file)) {
    const files = asList(c.validate_rules_file)
    if (files.length === 0 || !hasFalcoTestRules(files)) continue
    for (const e of c.validate_errors ?? [])
      errorRows.push({
        test: c.name,
        files,
        code: e.code,
        itemType: e.item_type,
        itemName: e.item_name,
        message: e.message ?? e.message_contains ?? '',
        contains: e.message === undefined
      })
    for (const w of c.validate_warnings ?? [])
      warningRows.push({
        test: c.name,
        files,
        code: w.code,
        itemType: w.item_type,
        itemName: w.item_name,
        message: w.message ?? '',
        contains: false,
        severity: 'warning'
      })
  }
}

// Messages of these codes come from the condition parser / YAML parser, whose wording is ours, not
// libs'/yaml-cpp's: compare code and item only.
const OWN_WORDING = new Set(['LOAD_ERR_COMPILE_CONDITION', 'LOAD_ERR_YAML_PARSE'])

describe("Falco's loader tests: validate_errors", () => {
  test('the table is not empty', () => {
    expect(errorRows.length).toBeGreaterThanOrEqual(25)
  })
  test.each(errorRows.map((r) => [r.test, r] as const))('%s', (_name, row) => {
    const r = load(falcoTestRules(row.files))
    expect(r.ok).toBe(false)
    const errors = r.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.length).toBe(1)
    const e = errors[0]
    expect({ code: e?.code, itemType: e?.itemType, itemName: e?.itemName }).toEqual({
      code: row.code,
      itemType: row.itemType,
      itemName: row.itemName
    })
    if (!OWN_WORDING.has(row.code)) {
      if (row.contains) expect(e?.message).toContain(row.message)
      else expect(e?.message).toBe(row.message)
    }
    expect(e?.excerpt ?? '').toContain('^')
  })
})

describe("Falco's loader tests: validate_warnings", () => {
  test.each(warningRows.map((r) => [`${r.test}: ${r.itemName} ${r.code}`, r] as const))(
    '%s',
    (_name, row) => {
      const r = load(falcoTestRules(row.files))
      // Falco of that time called the unknown-field warning LOAD_UNKNOWN_FIELD; current Falco: LOAD_UNKNOWN_FILTER.
      const code = row.code === 'LOAD_UNKNOWN_FIELD' ? 'LOAD_UNKNOWN_FILTER' : row.code
      const hit = r.diagnostics.find(
        (d) => d.code === code && d.itemName === row.itemName && d.itemType === row.itemType
      )
      expect(hit?.message).toBe(row.message)
    }
  )

  test('falco_rules_warnings.yaml: LOAD_NO_EVTTYPE on exactly the rules Falco names', () => {
    const r = load(falcoTestRules(['rules/falco_rules_warnings.yaml']))
    const want = warningRows
      .filter((w) => w.test === 'test_warnings' && w.code === 'LOAD_NO_EVTTYPE')
      .map((w) => w.itemName)
    expect(want.length).toBe(9)
    const got = r.diagnostics.filter((d) => d.code === 'LOAD_NO_EVTTYPE').map((d) => d.itemName)
    expect(got.sort()).toEqual(want.sort())
  })
})
