// sysdig `-p` / Falco `output` format strings: literal text with `%field`, `%field[arg]`, `%Nfield` (pad or
// truncate to N characters), `%transformer(field)`. A field token is the longest prefix of the name
// characters after `%` that the registry knows (`%proc.namex` = proc.name then "x"); a `[...]` right after a
// field that takes an argument is its argument (otherwise literal). A `%` at the end is an error; there is
// no `%%`. A leading `*` means "print even when fields are missing" (<NA>); without it sysdig skips the
// event when any field is missing, which `format` signals by returning null.
import type { Operand, Range } from './ast'
import { isTransformerName } from './ast'
import type { ErrorSite } from './checker'
import { fail, lookupField } from './checker'
import type { CompiledOperand } from './compile'
import { compileOperand } from './compile'
import { FilterError } from './errors'
import type { FieldRegistry, FieldValue } from './field-registry'
import { parseOperandAt } from './parser'
import { printOperand } from './print'

export const NA = '<NA>'

export interface FormatOptions {
  /** sysdig -p: turn the two-character sequences \n, \t and \\ into newline, tab and backslash */
  sysdigEscapes?: boolean
  /** Falco rule outputs: always print missing values as <NA> (as if the format started with `*`) */
  alwaysShowMissing?: boolean
}

export interface FormatField<C> {
  /** the token as written without `%` and width, e.g. 'proc.aname[2]', 'toupper(user.name)' */
  name: string
  width: number
  range: Range
  operand: CompiledOperand<C>
  /** true for a transformer token (Falco leaves those out of JSON output_fields) */
  transformed: boolean
  /** value for this event, undefined when missing */
  get: (ctx: C) => FieldValue | undefined
  /** text form (registry's render, else default) */
  render: (v: FieldValue) => string
}

export type FormatPart<C> = { kind: 'text'; text: string } | { kind: 'field'; field: FormatField<C> }

export interface CompiledFormat<C> {
  parts: FormatPart<C>[]
  fields: FormatField<C>[]
  /** leading `*` (or alwaysShowMissing) */
  showMissing: boolean
  /** the rendered line; null when a field is missing and showMissing is off */
  format: (ctx: C) => string | null
}

const NAME_CHAR = /[A-Za-z0-9_.]/

export function defaultRender(v: FieldValue): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((x) => defaultRender(x as FieldValue)).join(' ')
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1')
  return String(v)
}

export function compileOutputFormat<C>(
  format: string,
  registry: FieldRegistry<C>,
  options: FormatOptions = {}
): CompiledFormat<C> {
  const site: ErrorSite = { text: format, macro: undefined }
  const parts: FormatPart<C>[] = []
  const fields: FormatField<C>[] = []
  let showMissing = options.alwaysShowMissing === true
  let i = 0
  if (format.startsWith('*')) {
    showMissing = true
    i = 1
  }
  let lit = ''
  const flush = (): void => {
    if (lit.length > 0) parts.push({ kind: 'text', text: lit })
    lit = ''
  }
  while (i < format.length) {
    const c = format.charAt(i)
    if (c === '\\' && options.sysdigEscapes === true) {
      const n = format.charAt(i + 1)
      const e = n === 'n' ? '\n' : n === 't' ? '\t' : n === '\\' ? '\\' : undefined
      if (e !== undefined) {
        lit += e
        i += 2
        continue
      }
    }
    if (c !== '%') {
      lit += c
      i++
      continue
    }
    const start = i
    i++
    if (i >= format.length) {
      fail('FLT_BAD_FORMAT', 'invalid format: it cannot end with a %', { start, end: i }, site)
    }
    let width = 0
    while (i < format.length && /[0-9]/.test(format.charAt(i)))
      width = Math.min(width * 10 + Number(format.charAt(i++)), 1e6)
    const nameStart = i
    while (i < format.length && NAME_CHAR.test(format.charAt(i))) i++
    const run = format.slice(nameStart, i)
    let token: { operand: Operand; end: number } | undefined
    if (isTransformerName(run) && format.charAt(i) === '(') {
      try {
        token = parseOperandAt(format, nameStart)
      } catch (e) {
        if (e instanceof FilterError) fail('FLT_BAD_FORMAT', e.message, e.range, site)
        throw e
      }
    } else {
      // longest known prefix of the run
      for (let len = run.length; len > 0 && token === undefined; len--) {
        const name = run.slice(0, len)
        const found = lookupField(registry, name)
        if (found === undefined) continue
        const def = found.def
        let end = nameStart + len
        let arg: { value: string; quoted: boolean; range: Range } | undefined
        if (
          len === run.length &&
          format.charAt(end) === '[' &&
          def.arg !== 'none' &&
          found.dottedArg === undefined
        ) {
          const close = format.indexOf(']', end)
          if (close < 0)
            fail('FLT_BAD_FORMAT', `missing ']' after ${name}[`, { start: end, end: end + 1 }, site)
          arg = { value: format.slice(end + 1, close), quoted: false, range: { start: end, end: close + 1 } }
          end = close + 1
        }
        const range = { start: nameStart, end }
        token = {
          operand: arg === undefined ? { kind: 'field', name, range } : { kind: 'field', name, arg, range },
          end
        }
      }
    }
    if (token === undefined) {
      const shown = format.slice(nameStart, Math.max(i, nameStart + 1))
      fail(
        'FLT_UNKNOWN_FIELD',
        `invalid formatting token '${shown}'`,
        { start, end: Math.max(i, start + 1) },
        site
      )
    }
    const operand = compileOperand(token.operand, registry, site)
    if (operand.def.filterOnly === true) {
      fail(
        'FLT_BAD_FORMAT',
        `field '${operand.def.name}' can only be used in filters`,
        { start, end: token.end },
        site
      )
    }
    const transformed = token.operand.kind === 'transformer'
    const def = operand.def
    const render =
      transformed || def.render === undefined
        ? defaultRender
        : (v: FieldValue) => def.render?.(v) ?? defaultRender(v)
    const field: FormatField<C> = {
      name: printOperand(token.operand),
      width,
      range: { start, end: token.end },
      operand,
      transformed,
      get: operand.get,
      render
    }
    flush()
    parts.push({ kind: 'field', field })
    fields.push(field)
    i = token.end
  }
  flush()
  return { parts, fields, showMissing, format: makeFormatter(parts, showMissing) }
}

function fit(s: string, width: number): string {
  if (width === 0) return s
  return s.length >= width ? s.slice(0, width) : s + ' '.repeat(width - s.length)
}

function makeFormatter<C>(parts: FormatPart<C>[], showMissing: boolean): (ctx: C) => string | null {
  return (ctx) => {
    let out = ''
    for (const p of parts) {
      if (p.kind === 'text') {
        out += p.text
        continue
      }
      const f = p.field
      const v = f.get(ctx)
      if (v === undefined) {
        if (!showMissing) return null
        out += fit(NA, f.width)
      } else out += fit(f.render(v), f.width)
    }
    return out
  }
}
