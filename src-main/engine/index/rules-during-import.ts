/**
 * Rules evaluated during the import: the rule files are loaded and compiled once, a rules_runs row records
 * them (paths and SHA-256) and each alert is written with the run's id. The same rule set can be replaced
 * later by another run without re-indexing (rules-run.ts).
 */
import type { ScapEvent } from '../capture/scap-event'
import type { EventContext } from '../fields/event-context'
import { renderAlert } from '../rules/alert-output'
import type { CompiledRule, Ruleset } from '../rules/ruleset'
import type { IndexWriter, ImportStatRow } from './writer'
import { prepareRuleset, startRun, finishRun, type PreparedRules } from './rules-prepare'

export class RulesDuringImport {
  private readonly prepared: PreparedRules
  private readonly ruleset: Ruleset<EventContext> | null
  private readonly runId: number
  private alerts = 0
  private events = 0
  private cur: {
    ev: ScapEvent
    ctx: EventContext
    ts: number
    utid: number | null
    upid: number | null
  } | null = null
  private readonly raise: (r: CompiledRule<EventContext>) => void

  constructor(
    private readonly w: IndexWriter,
    files: readonly string[]
  ) {
    this.prepared = prepareRuleset(files)
    this.ruleset = this.prepared.ruleset
    this.runId = startRun(w.db, this.prepared, { duringImport: true })
    this.raise = (r) => {
      const c = this.cur
      if (c === null) return
      this.alerts++
      const { message, outputFieldsJson } = renderAlert(r.output, c.ctx, { tsHi: c.ev.tsHi, tsLo: c.ev.tsLo })
      this.w.alert({
        runId: this.runId,
        rule: r.name,
        priority: r.priority,
        output: message,
        tags: r.tags,
        source: r.source,
        num: c.ev.num,
        ts: c.ts,
        upid: c.upid,
        utid: c.utid,
        outputFields: JSON.parse(outputFieldsJson) as Record<string, unknown>
      })
    }
  }

  evaluate(ev: ScapEvent, ctx: EventContext, ts: number, utid: number | null, upid: number | null): void {
    if (this.ruleset === null) return
    this.events++
    this.cur = { ev, ctx, ts, utid, upid }
    this.ruleset.evaluate(ev.type, ctx, this.raise)
    this.cur = null
  }

  finish(): void {
    finishRun(this.w.db, this.runId, this.prepared, this.events, this.alerts, 'complete')
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
