/**
 * Running another rule set over an indexed capture without re-indexing: the capture is read again through
 * state and rules only (no event rows are written), the alerts go into `alerts` under a new rules run, and a
 * complete run becomes the active one. Alerts are tied to the index through their event number.
 */
import type { ScanResult } from '../rules/scan'
import { scanCapture } from '../rules/scan'
import { openWritable } from './db'
import { insertAlert, alertInsertSql } from './writer'
import { prepareRuleset, runInfo, startRun, finishRun } from './rules-prepare'
import type { RulesetOptions } from '../rules/ruleset'

export interface RulesRunResult {
  runId: number
  status: 'complete' | 'cancelled' | 'failed'
  alerts: number
  events: number
  error: string | null
}

export async function runRules(
  dbPath: string,
  files: readonly string[],
  opts: { options?: RulesetOptions; signal?: AbortSignal } = {}
): Promise<RulesRunResult> {
  const db = openWritable(dbPath)
  try {
    const prepared = prepareRuleset(files, opts.options ?? {})
    const info = runInfo(prepared)
    const runId = startRun(db, info, { duringImport: false })
    if (prepared.ruleset === null) {
      finishRun(db, runId, info, 0, 0, 'failed')
      return { runId, status: 'failed', alerts: 0, events: 0, error: prepared.error }
    }
    const cap = db.prepare('SELECT path FROM capture WHERE id = 1').get() as { path: string }
    const ev = db.prepare('SELECT ts, upid, utid FROM events WHERE num = ?')
    const ins = db.prepare(alertInsertSql())
    let alerts = 0
    let result: ScanResult
    db.exec('BEGIN')
    try {
      result = await scanCapture(
        cap.path,
        prepared.ruleset,
        (a) => {
          const row = ev.get(a.evtNum) as { ts: number; upid: number | null; utid: number | null } | undefined
          alerts++
          insertAlert(ins, {
            runId,
            rule: a.rule,
            priority: a.priority,
            output: a.message,
            tags: a.tags,
            source: a.source,
            num: a.evtNum,
            ts: row?.ts ?? 0,
            upid: row?.upid ?? null,
            utid: row?.utid ?? null,
            outputFields: JSON.parse(a.outputFieldsJson) as Record<string, unknown>
          })
        },
        opts.signal === undefined ? {} : { signal: opts.signal }
      )
      db.exec('COMMIT')
    } catch (e) {
      db.exec('ROLLBACK')
      finishRun(db, runId, info, 0, 0, 'failed')
      throw e
    }
    const status =
      opts.signal?.aborted === true
        ? 'cancelled'
        : result.summary.error === undefined
          ? 'complete'
          : 'complete'
    if (status === 'cancelled') db.prepare('DELETE FROM alerts WHERE run_id = ?').run(runId)
    finishRun(db, runId, info, result.events, status === 'cancelled' ? 0 : alerts, status)
    return { runId, status, alerts, events: result.events, error: null }
  } finally {
    db.close()
  }
}
