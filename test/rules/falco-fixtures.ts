// Paths and readers for Falco's published rule tests (../shared/corpus/expected/falcosecurity__falco) and the
// official rules files (../shared/falco-rules). Read by path; never copied into the repo.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { load } from 'js-yaml'
import type { FileInput } from '../../src-main/engine/rules/loader/load-rules'

export const SHARED = path.resolve(__dirname, '../../../shared')
export const FALCO_RULES = path.join(SHARED, 'falco-rules')
export const EXPECTED = path.join(SHARED, 'corpus/expected/falcosecurity__falco')
export const CORPUS = path.join(SHARED, 'corpus/files')

export const LATEST = 'latest-falcosecurity-rules-c72713ee2e63'
export const RULE_SETS: Record<string, string[]> = {
  stable: [`${LATEST}/falco_rules.yaml`],
  incubating: [`${LATEST}/falco-incubating_rules.yaml`],
  sandbox: [`${LATEST}/falco-sandbox_rules.yaml`],
  'old-0.26.0': ['falco-0.26.0/falco_rules.yaml'],
  'old-0.29.1': ['falco-0.29.1/falco_rules.yaml'],
  'old-0.32.2': ['falco-0.32.2/falco_rules.yaml'],
  'ALL-3-latest': [
    `${LATEST}/falco_rules.yaml`,
    `${LATEST}/falco-incubating_rules.yaml`,
    `${LATEST}/falco-sandbox_rules.yaml`
  ]
}

export function officialFiles(set: string): FileInput[] {
  return (RULE_SETS[set] ?? []).map((f) => ({
    name: f,
    text: readFileSync(path.join(FALCO_RULES, f), 'utf8')
  }))
}

/** `rules/exceptions/x.yaml` (as named in falco_tests*.yaml) → the stored copy. */
export function falcoTestRulesPath(rel: string): string {
  return path.join(EXPECTED, 'test__' + rel.split('/').join('__'))
}

export function falcoTestRules(rels: readonly string[]): FileInput[] {
  return rels.map((r) => ({ name: r, text: readFileSync(falcoTestRulesPath(r), 'utf8') }))
}

export function hasFalcoTestRules(rels: readonly string[]): boolean {
  return rels.every((r) => existsSync(falcoTestRulesPath(r)))
}

export interface FalcoTestCase {
  name: string
  detect?: boolean
  detect_level?: string | string[]
  rules_file?: string | string[]
  validate_rules_file?: string | string[]
  validate_errors?: {
    item_type: string
    item_name: string
    code: string
    message?: string
    message_contains?: string
  }[]
  validate_warnings?: { item_type: string; item_name: string; code: string; message?: string }[]
  detect_counts?: Record<string, number>[]
  trace_file?: string
  disabled_rules?: string[]
  disable_tags?: string[]
  run_tags?: string[]
  all_events?: boolean
  conf_file?: string
  priority?: string
  exit_status?: number
  [k: string]: unknown
}

/** The test cases of one of Falco's test yaml files (`!mux` tags dropped). */
export function falcoTestCases(file: string): FalcoTestCase[] {
  const text = readFileSync(path.join(EXPECTED, file), 'utf8').replace(/!mux/g, '')
  const doc = load(text) as Record<string, Record<string, Omit<FalcoTestCase, 'name'>> | undefined>
  const cases = doc.trace_files ?? {}
  return Object.entries(cases).map(([name, c]) => ({ name, ...c }))
}

export function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

/** Field names known to libs + the container plugin (fields_catalog.tsv), for exception field checks. */
export function catalogFields(): Set<string> {
  const rows = readFileSync(path.join(SHARED, 'spec/fields_catalog.tsv'), 'utf8').split('\n').slice(1)
  return new Set(rows.map((r) => r.split('\t')[0] ?? '').filter((n) => n !== ''))
}
