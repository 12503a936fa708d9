/**
 * Load errors and warnings. Codes are Falco's own (falco_load_result), so a message from `peregrine rules
 * validate` can be searched for in Falco's documentation; each diagnostic carries file:line:column of the
 * item (and of the key when known) and an excerpt with a caret, as `falco -V` prints them.
 */
import type { SourcePos } from './yaml-reader'

export const ERROR_CODES = {
  LOAD_ERR_FILE_READ: 'Could not read file',
  LOAD_ERR_YAML_PARSE: 'Could not parse YAML',
  LOAD_ERR_YAML_VALIDATE: 'Invalid YAML',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item'
} as const

export const WARNING_CODES = {
  LOAD_UNKNOWN_SOURCE: 'Unknown event source',
  LOAD_UNSAFE_NA_CHECK: 'Unsafe <NA> comparison in condition',
  LOAD_NO_EVTTYPE: 'Condition has no event-type restriction',
  LOAD_UNKNOWN_FILTER: 'Unknown field or event-type in condition or output',
  LOAD_UNUSED_MACRO: 'Unused macro',
  LOAD_UNUSED_LIST: 'Unused list',
  LOAD_UNKNOWN_ITEM: 'Unknown rules file item',
  LOAD_DEPRECATED_ITEM: 'Used deprecated item',
  LOAD_WARNING_EXTENSION: 'Warning in extension item',
  LOAD_APPEND_NO_VALUES: 'Overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'Multiple exceptions defined with the same name',
  LOAD_INVALID_MACRO_NAME: 'Invalid macro name',
  LOAD_INVALID_LIST_NAME: 'Invalid list name',
  LOAD_COMPILE_CONDITION: 'Condition has issues',
  LOAD_UNKNOWN_KEY: 'Unknown key'
} as const

export type ErrorCode = keyof typeof ERROR_CODES
export type WarningCode = keyof typeof WARNING_CODES

/** What the diagnostic is about: Falco's item types. */
export type ItemType =
  | 'rules content'
  | 'rules content item'
  | 'required_engine_version'
  | 'required_plugin_versions'
  | 'list'
  | 'macro'
  | 'rule'
  | 'exception'
  | 'condition expression'

export interface Diagnostic {
  severity: 'error' | 'warning'
  code: ErrorCode | WarningCode
  message: string
  file: string
  itemType: ItemType
  itemName: string
  /** Start of the item (the `- rule:` mapping). */
  itemPos?: SourcePos
  /** The key or position inside the item the diagnostic is about (e.g. the condition, at its error column). */
  pos?: SourcePos
  excerpt?: string
}

export function codeTitle(code: ErrorCode | WarningCode): string {
  return code in ERROR_CODES ? ERROR_CODES[code as ErrorCode] : WARNING_CODES[code as WarningCode]
}

function loc(file: string, p: SourcePos | undefined): string {
  return p === undefined ? `${file}:0:0` : `${file}:${String(p.line)}:${String(p.col)}`
}

/** One diagnostic in the shape `falco -V` uses: context lines, an excerpt between rulers, then code and message. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines: string[] = []
  lines.push(`In rules content: (${loc(d.file, undefined)})`)
  if (d.itemType !== 'rules content') {
    const name = d.itemName === '' ? '' : ` '${d.itemName}'`
    lines.push(`    ${d.itemType}${name}: (${loc(d.file, d.itemPos)})`)
  }
  if (d.pos !== undefined && d.pos !== d.itemPos) lines.push(`    at ${loc(d.file, d.pos)}`)
  if (d.excerpt !== undefined) {
    lines.push('------')
    lines.push(d.excerpt)
    lines.push('------')
  }
  lines.push(`${d.code} (${codeTitle(d.code)}): ${d.message}`)
  return lines.join('\n')
}

/** The whole report for one validation run, as `falco -V FILE...` prints it. */
export function formatValidation(files: readonly string[], diags: readonly Diagnostic[]): string {
  const out: string[] = []
  for (const f of files) {
    const mine = diags.filter((d) => d.file === f)
    const errors = mine.filter((d) => d.severity === 'error')
    const warnings = mine.filter((d) => d.severity === 'warning')
    out.push(`${f}: ${errors.length > 0 ? 'Invalid' : 'Ok'}${warnings.length > 0 ? ', with warnings' : ''}`)
    if (errors.length > 0) {
      out.push(`${String(errors.length)} errors:`)
      for (const d of errors) out.push(formatDiagnostic(d))
    }
    if (warnings.length > 0) {
      out.push(`${String(warnings.length)} warnings:`)
      for (const d of warnings) out.push(formatDiagnostic(d))
    }
  }
  return out.join('\n') + '\n'
}
