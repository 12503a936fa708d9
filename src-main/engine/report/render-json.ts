/**
 * The report as JSON (docs/report.schema.json describes it), and the alerts alone as Falco JSON lines
 * (newline-delimited, for Falcosidekick or a SIEM).
 */
import type { IncidentReport } from './report-types'

export function renderJson(r: IncidentReport): string {
  return JSON.stringify(r, null, 2) + '\n'
}

export function renderFalcoLines(r: IncidentReport): string {
  return r.falcoJson.map((l) => l + '\n').join('')
}
