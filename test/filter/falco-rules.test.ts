// Every macro and rule condition (and rule output) of the official rules files must parse, expand and
// type-check; counts are checked against FALCO_INVENTORY.md so a silently skipped item would fail.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import type { Ast, MacroDef } from '../../src-main/engine/filter/index'
import {
  FilterError,
  compileCondition,
  compileOutputFormat,
  expandMacros,
  parseCondition,
  printCondition,
  substituteLists
} from '../../src-main/engine/filter/index'
import { SHARED, catalogRegistry } from './catalog-registry'

interface Item {
  list?: string
  items?: string[]
  macro?: string
  rule?: string
  condition?: string
  output?: string
}

const FILES: [string, { rules: number; macros: number; lists: number }][] = [
  ['latest-falcosecurity-rules-c72713ee2e63/falco_rules.yaml', { rules: 25, macros: 87, lists: 49 }],
  [
    'latest-falcosecurity-rules-c72713ee2e63/falco-incubating_rules.yaml',
    { rules: 31, macros: 82, lists: 54 }
  ],
  ['latest-falcosecurity-rules-c72713ee2e63/falco-sandbox_rules.yaml', { rules: 37, macros: 183, lists: 60 }],
  ['falco-0.26.0/falco_rules.yaml', { rules: 59, macros: -1, lists: 108 }],
  ['falco-0.29.1/falco_rules.yaml', { rules: 66, macros: -1, lists: 108 }],
  ['falco-0.32.2/falco_rules.yaml', { rules: 72, macros: -1, lists: 108 }]
]

function load(rel: string): Item[] {
  const text = readFileSync(path.join(SHARED, 'falco-rules', rel), 'utf8')
  const doc = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA })
  return Array.isArray(doc) ? (doc as Item[]) : []
}

describe.each(FILES)('%s', (rel, counts) => {
  const items = load(rel)
  const conditions = items.flatMap((it) =>
    it.condition === undefined ? [] : [{ name: it.macro ?? it.rule ?? '?', text: it.condition }]
  )

  it('has the inventory counts', () => {
    expect(items.filter((i) => i.rule !== undefined).length).toBe(counts.rules)
    expect(items.filter((i) => i.list !== undefined).length).toBe(counts.lists)
    if (counts.macros >= 0) expect(items.filter((i) => i.macro !== undefined).length).toBe(counts.macros)
  })

  it('parses every macro and rule condition as written (list names are plain values)', () => {
    const failures: string[] = []
    for (const c of conditions) {
      try {
        const ast = parseCondition(c.text)
        // round trip
        const again = parseCondition(printCondition(ast))
        if (printCondition(again) !== printCondition(ast)) failures.push(`${c.name}: round trip differs`)
      } catch (e) {
        failures.push(`${c.name}: ${e instanceof FilterError ? e.describe() : String(e)}`)
      }
    }
    expect(failures).toEqual([])
    expect(conditions.length).toBeGreaterThan(counts.rules)
  })

  it('substitutes lists, expands macros and compiles every rule against the catalog fields', () => {
    // lists: one level of list-in-list, as Falco does
    const raw = new Map<string, string[]>()
    for (const i of items) if (i.list !== undefined) raw.set(i.list, i.items ?? [])
    const lists = new Map<string, string[]>()
    for (const [name, its] of raw)
      lists.set(
        name,
        its.flatMap((x) => raw.get(x) ?? [x])
      )
    const macros = new Map<string, MacroDef>()
    for (const i of items) {
      if (i.macro !== undefined && i.condition !== undefined) {
        const source = substituteLists(i.condition, lists)
        macros.set(i.macro, { ast: parseCondition(source), source })
      }
    }
    const reg = catalogRegistry()
    const failures: string[] = []
    let compiled = 0
    for (const i of items) {
      if (i.rule === undefined || i.condition === undefined) continue
      try {
        const source = substituteLists(i.condition, lists)
        const ast: Ast = expandMacros(parseCondition(source), source, (n) => macros.get(n))
        compileCondition(ast, source, reg)
        // the expanded condition prints to something that parses and compiles again
        const printed = printCondition(ast)
        compileCondition(parseCondition(printed), printed, reg)
        if (i.output !== undefined) {
          compileOutputFormat(i.output.replace(/%container\.info/g, ''), reg, { alwaysShowMissing: true })
        }
        compiled++
      } catch (e) {
        failures.push(`${i.rule}: ${e instanceof FilterError ? e.describe() : String(e)}`)
      }
    }
    expect(failures).toEqual([])
    expect(compiled).toBe(counts.rules)
  })
})
