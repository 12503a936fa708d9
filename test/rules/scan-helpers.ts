// Runs the real pipeline (decoder → state engine → fields → rules) in-process for tests.
import { RULE_FIELDS as FIELDS } from '../../src-main/engine/rules/syscall-fields'
import type { FileInput, LoadResult } from '../../src-main/engine/rules/loader/load-rules'
import { loadRuleTexts } from '../../src-main/engine/rules/load-files'
import { buildRuleset } from '../../src-main/engine/rules/ruleset'
import type { RulesetOptions } from '../../src-main/engine/rules/ruleset'
import { scanCapture } from '../../src-main/engine/rules/scan'
import type { Alert, ScanOptions, ScanResult } from '../../src-main/engine/rules/scan'

export function loadWithFields(files: readonly FileInput[]): LoadResult {
  return loadRuleTexts(files, FIELDS)
}

export interface ScanOutcome extends ScanResult {
  alertList: Alert[]
  load: LoadResult
}

export async function scanWith(
  capture: string,
  files: readonly FileInput[],
  opts: RulesetOptions = {},
  scanOpts: ScanOptions = {}
): Promise<ScanOutcome> {
  const load = loadWithFields(files)
  if (!load.ok) {
    const errs = load.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)
    throw new Error(`rules failed to load: ${errs.join('; ')}`)
  }
  const rs = buildRuleset(load, FIELDS, opts)
  const alertList: Alert[] = []
  const res = await scanCapture(capture, rs, (a) => alertList.push(a), scanOpts)
  return { ...res, alertList, load }
}
