/**
 * The rule set behind the Rules view: the default rules plus custom files loaded from the UI, and the
 * rules enabled or disabled there. Enable/disable is expressed the way Falco users would write it — an
 * override file of `- rule: NAME / enabled: BOOL` items loaded last — so the loader's own semantics
 * decide, and a run uses exactly the files the view lists.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { PRIORITIES } from '../../common/model/types'
import type { RuleInfo, RuleProblem, RulesState } from '../../common/model/types'
import { defaultRuleFiles } from '../rules/default-rules'
import { loadRuleFiles } from '../rules/load-files'
import { fieldRegistry } from '../rules/syscall-fields'
import type { QueryDb } from '../query/query-db'

function sha256(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex')
  } catch {
    return ''
  }
}

export class RulesControl {
  private readonly base: string[]
  private readonly custom: string[] = []
  private readonly overrides = new Map<string, boolean>()
  private dir: string | null = null
  private runner: (() => Promise<void>) | null = null
  private lastMs: number | null = null

  constructor(base: string[] = defaultRuleFiles()) {
    this.base = base
  }

  private tmp(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'peregrine-rules-'))
    return this.dir
  }

  /** The files a run loads, in order (overrides last). */
  files(): string[] {
    const out = [...this.base, ...this.custom]
    if (this.overrides.size > 0) {
      const yaml = [...this.overrides]
        .map(([name, on]) => `- rule: ${JSON.stringify(name)}\n  enabled: ${on ? 'true' : 'false'}\n`)
        .join('')
      const file = join(this.tmp(), 'ui-overrides.yaml')
      writeFileSync(file, yaml)
      out.push(file)
    }
    return out
  }

  setEnabled(name: string, enabled: boolean): void {
    this.overrides.set(name, enabled)
  }

  /** Adds a rules file by content (from the browser); its problems show in the state. */
  addText(name: string, text: string): void {
    const safe =
      basename(name)
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .slice(0, 100) || 'custom.yaml'
    const file = join(this.tmp(), `${this.custom.length + 1}-${safe}`)
    writeFileSync(file, text)
    this.custom.push(file)
  }

  /** Drops a custom file by the name the state shows; false when there is none. */
  removeShown(shown: string): boolean {
    const i = this.custom.findIndex((f) => this.shown(f) === shown)
    if (i < 0) return false
    this.custom.splice(i, 1)
    return true
  }

  onRun(fn: () => Promise<void>): void {
    this.runner = fn
  }

  async run(): Promise<void> {
    if (this.runner === null) throw new Error('no capture to run the rules on')
    const t0 = Date.now()
    await this.runner()
    this.lastMs = Date.now() - t0
  }

  private shown(file: string): string {
    return this.dir !== null && file.startsWith(this.dir) ? basename(file) : file
  }

  state(q: QueryDb): RulesState {
    const load = loadRuleFiles(this.files(), fieldRegistry())
    const rules: RuleInfo[] = load.rules.map((r) => ({
      name: r.def.name,
      priority: PRIORITIES[r.def.priority] ?? 'DEBUG',
      enabled: r.def.enabled,
      file: this.shown(r.def.itemSource.file),
      tags: r.def.tags
    }))
    const problems: RuleProblem[] = load.diagnostics.map((d) => ({
      file: this.shown(d.file),
      line: d.pos?.line ?? d.itemPos?.line ?? 0,
      column: d.pos?.col ?? d.itemPos?.col ?? 0,
      severity: d.severity,
      message: d.message
    }))
    const perFile = new Map<string, number>()
    for (const r of load.rules)
      perFile.set(r.def.itemSource.file, (perFile.get(r.def.itemSource.file) ?? 0) + 1)
    const files = load.files
      .filter((f) => !f.endsWith('ui-overrides.yaml'))
      .map((f) => ({
        path: this.shown(f),
        sha256: sha256(f),
        rules: perFile.get(f) ?? 0,
        custom: this.custom.includes(f)
      }))
    const run = q.activeRun()
    const row =
      run === null
        ? undefined
        : (q.q('SELECT alerts, started_at, finished_at FROM rules_runs WHERE id = ?').get(run) as
            { alerts: number | null; started_at: string; finished_at: string | null } | undefined)
    const lastRun =
      row === undefined
        ? null
        : {
            alerts: row.alerts ?? 0,
            durationMs:
              this.lastMs ??
              (row.finished_at === null ? 0 : Date.parse(row.finished_at) - Date.parse(row.started_at))
          }
    return { files, rules, problems, lastRun }
  }
}
