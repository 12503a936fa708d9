/**
 * Rules evaluated during the import: the rule files are loaded and compiled once, a rules_runs row records
 * them (paths and SHA-256), and each alert the scanner raises is written with the run's id. Another rule set
 * can replace the run later without re-indexing (rules-run.ts).
 */
import type { EventContext } from '../fields/event-context'
import type { Alert } from '../rules/scan'
import type { Ruleset } from '../rules/ruleset'
import type { ImportStatRow } from './writer'
import type { RowSink } from './row-sink'
import { prepareRuleset, runInfo, type PreparedRules, type RunInfo } from './rules-prepare'

export class RulesDuringImport {
  private readonly prepared: PreparedRules
  private readonly info: RunInfo
  readonly ruleset: Ruleset<EventContext> | null
  private readonly runId: number
  private alerts = 0

  constructor(
    private readonly w: RowSink,
    files: readonly string[]
  ) {
    this.prepared = prepareRuleset(files)
    this.ruleset = this.prepared.ruleset
    this.info = runInfo(this.prepared)
    this.runId = w.rulesRunStart(this.info)
  }

  write(a: Alert, ts: number, utid: number | null, upid: number | null): void {
    this.alerts++
    this.w.alert({
      runId: this.runId,
      rule: a.rule,
      priority: a.priority,
      output: a.message,
      tags: a.tags,
      source: a.source,
      num: a.evtNum,
      ts,
      upid,
      utid,
      outputFields: JSON.parse(a.outputFieldsJson) as Record<string, unknown>
    })
  }

  finish(events: number): void {
    this.w.rulesRunFinish(this.runId, this.info, events, this.alerts)
  }

  stats(): ImportStatRow[] {
    if (this.ruleset !== null) return []
    return [
      {
        code: 'rules-not-run',
        source: 'rules',
        severity: 'warning',
        count: 1,
        message: this.prepared.error ?? 'the rules could not be loaded'
      }
    ]
  }
}
