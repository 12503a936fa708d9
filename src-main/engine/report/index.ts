/**
 * Incident reports: `buildReport(db, options)` assembles the report from an index through the query API;
 * `renderReport(report, format)` prints it as HTML (self-contained, no script), Markdown, JSON or Falco JSON
 * lines. The CLI (`peregrine report`) and the app's Export Report… both call these.
 */
import { extname } from 'node:path'
import type { IncidentReport } from './report-types'
import { renderHtml } from './render-html'
import { renderMarkdown } from './render-markdown'
import { renderFalcoLines, renderJson } from './render-json'

export { buildReport, parsePriorityName, type ReportOptions } from './model'
export type { IncidentReport } from './report-types'
export { REPORT_SCHEMA_VERSION } from './report-types'

export type ReportFormat = 'html' | 'md' | 'json' | 'jsonl'

export function renderReport(report: IncidentReport, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(report)
    case 'md':
      return renderMarkdown(report)
    case 'json':
      return renderJson(report)
    case 'jsonl':
      return renderFalcoLines(report)
  }
}

/** The format an output path asks for by its extension, or null. */
export function formatOfPath(path: string): ReportFormat | null {
  const ext = extname(path).toLowerCase()
  if (ext === '.html' || ext === '.htm') return 'html'
  if (ext === '.md' || ext === '.markdown') return 'md'
  if (ext === '.json') return 'json'
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl'
  return null
}
