/** Loading a rule set for a rules run, and the rules_runs bookkeeping shared by import-time and later runs. */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type Database from 'better-sqlite3'
import type { EventContext } from '../fields/event-context'
import { defaultRuleFiles, expandRulePaths } from '../rules/default-rules'
import { loadRuleFiles } from '../rules/load-files'
import { buildRuleset, type Ruleset, type RulesetOptions } from '../rules/ruleset'
import { fieldRegistry } from '../rules/syscall-fields'

export interface PreparedRules {
  files: { path: string; sha256: string }[]
  options: RulesetOptions
  ruleset: Ruleset<EventContext> | null
  rulesLoaded: number
  rulesEnabled: number
  diagnostics: { severity: string; message: string; file: string; line: number | null }[]
  /** why no rule set could be built */
  error: string | null
}

function sha256Of(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex')
  } catch {
    return ''
  }
}

/**
 * Rule paths in load order: a directory with a `lists/` folder (like the repository's `rules/`) loads its
 * lists first, as the default rules do; other directories expand to their sorted YAML files.
 */
export function ruleFilesOf(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    existsSync(join(p, 'lists')) && statSync(p).isDirectory() ? defaultRuleFiles(p) : expandRulePaths([p])
  )
}

export function prepareRuleset(paths: readonly string[], options: RulesetOptions = {}): PreparedRules {
  const list = ruleFilesOf(paths).map((p) => resolve(p))
  const files = list.map((p) => ({ path: p, sha256: sha256Of(p) }))
  const registry = fieldRegistry()
  const load = loadRuleFiles(list, registry)
  const diagnostics = load.diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.pos?.line ?? d.itemPos?.line ?? null
  }))
  const base = { files, options, rulesLoaded: load.rules.length, diagnostics }
  if (!load.ok) return { ...base, ruleset: null, rulesEnabled: 0, error: 'the rule files have errors' }
  if (registry === undefined)
    return {
      ...base,
      ruleset: null,
      rulesEnabled: 0,
      error: 'the field registry is not available: rules not run'
    }
  const ruleset = buildRuleset(load, registry, options)
  return { ...base, ruleset, rulesEnabled: ruleset.rules.length, error: null }
}

/** What a rules_runs row records of a prepared rule set (plain data: it may cross to the writer thread). */
export type RunInfo = Omit<PreparedRules, 'ruleset'> & { ok: boolean }

export function runInfo(p: PreparedRules): RunInfo {
  return {
    files: p.files,
    options: p.options,
    rulesLoaded: p.rulesLoaded,
    rulesEnabled: p.rulesEnabled,
    diagnostics: p.diagnostics,
    error: p.error,
    ok: p.ruleset !== null
  }
}

export function startRun(db: Database.Database, p: RunInfo, extra: Record<string, unknown>): number {
  const r = db
    .prepare(
      "INSERT INTO rules_runs (started_at, status, files, options, rules_loaded, rules_enabled, diagnostics, active) VALUES (?, 'running', ?, ?, ?, ?, ?, 0)"
    )
    .run(
      new Date().toISOString(),
      JSON.stringify(p.files),
      JSON.stringify({ ...p.options, ...extra }),
      p.rulesLoaded,
      p.rulesEnabled,
      JSON.stringify(p.diagnostics)
    )
  return Number(r.lastInsertRowid)
}

/** Records the end of a run; a complete run becomes the active one. */
export function finishRun(
  db: Database.Database,
  runId: number,
  p: RunInfo,
  events: number,
  alerts: number,
  status: 'complete' | 'cancelled' | 'failed'
): void {
  const st = p.ok ? status : 'failed'
  db.prepare(
    'UPDATE rules_runs SET finished_at = ?, status = ?, events_evaluated = ?, alerts = ? WHERE id = ?'
  ).run(new Date().toISOString(), st, events, alerts, runId)
  if (st === 'complete') {
    db.prepare('UPDATE rules_runs SET active = (id = ?)').run(runId)
  }
}
