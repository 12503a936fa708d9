// Errors of the filter language: a stable code, the offending range in the text, and an excerpt with a caret
// line so the UI, the CLI and the rules loader can all show where the problem is.
import type { Range } from './ast'

export type FilterErrorCode =
  | 'FLT_EMPTY'
  | 'FLT_SYNTAX'
  | 'FLT_UNTERMINATED_STRING'
  | 'FLT_BAD_ESCAPE'
  | 'FLT_TOO_DEEP'
  | 'FLT_TOO_LARGE'
  | 'FLT_UNKNOWN_FIELD'
  | 'FLT_BAD_FIELD_ARG'
  | 'FLT_UNKNOWN_TRANSFORMER'
  | 'FLT_BAD_TRANSFORMER'
  | 'FLT_BAD_OPERATOR'
  | 'FLT_BAD_VALUE'
  | 'FLT_UNDEFINED_MACRO'
  | 'FLT_MACRO_LOOP'
  | 'FLT_BAD_FORMAT'

export class FilterError extends Error {
  readonly code: FilterErrorCode
  readonly range: Range
  /** the line holding range.start (clipped around it when long) and a caret line under the range */
  readonly excerpt: string
  /** name of the macro whose text `range` points into, when the error is inside an expanded macro */
  readonly macro: string | undefined

  constructor(code: FilterErrorCode, message: string, range: Range, text: string, macro?: string) {
    super(message)
    this.name = 'FilterError'
    this.code = code
    this.range = { start: range.start, end: Math.max(range.end, range.start) }
    this.excerpt = makeExcerpt(text, this.range)
    this.macro = macro
  }

  /** "message at position N" + excerpt, for terminals */
  describe(): string {
    const where = this.macro === undefined ? '' : ` (in macro '${this.macro}')`
    return `${this.message} at position ${this.range.start}${where}\n${this.excerpt}`
  }
}

const EXCERPT_WIDTH = 100

/** One line of context (window of ≤100 chars around the start) plus carets under the range. */
export function makeExcerpt(text: string, range: Range): string {
  const start = Math.min(Math.max(0, range.start), text.length)
  let lineStart = text.lastIndexOf('\n', start - 1) + 1
  let lineEnd = text.indexOf('\n', start)
  if (lineEnd < 0) lineEnd = text.length
  // clip long lines to a window around the error
  let prefix = ''
  let suffix = ''
  if (start - lineStart > EXCERPT_WIDTH / 2) {
    lineStart = start - EXCERPT_WIDTH / 2
    prefix = '…'
  }
  if (lineEnd - lineStart > EXCERPT_WIDTH) {
    lineEnd = lineStart + EXCERPT_WIDTH
    suffix = '…'
  }
  const line = text.slice(lineStart, lineEnd).replace(/[\t\r\b\f\v]/g, ' ')
  const caretStart = prefix.length + (start - lineStart)
  const caretLen = Math.max(1, Math.min(range.end, lineEnd) - start)
  return `${prefix}${line}${suffix}\n${' '.repeat(caretStart)}${'^'.repeat(caretLen)}`
}
