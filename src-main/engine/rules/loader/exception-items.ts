/**
 * Rule `exceptions`: reading, validation at definition time, merging on append, and the condition text they
 * add (`(<condition>) and not (<clause>)…`), built exactly as Falco's compiler builds it so that list names,
 * quoting and precedence behave the same (the text then goes through list substitution and parsing).
 */
import { ExceptionLoadError, LoadError, entry, reqString, scalarOrSeq } from './decode'
import type { ExceptionDef, ExceptionValue } from './items'
import type { YNode } from './yaml-reader'

const OPERATORS = new Set([
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
  'in',
  'intersects',
  'pmatch',
  'exists'
])
const LIST_OPS = new Set(['in', 'pmatch', 'intersects'])
const MODIFIER = /^(\S+)\s+(oneof|anyof|allof)$/

function isOperator(comp: string): boolean {
  const m = MODIFIER.exec(comp)
  return OPERATORS.has(comp) || (m !== null && OPERATORS.has(m[1] ?? ''))
}

/** Comps whose scalar value is written in parentheses (so it may name a list). */
function takesList(comp: string): boolean {
  return LIST_OPS.has(comp) || MODIFIER.test(comp)
}

function readValues(node: YNode, exName: string): ExceptionValue[][] | string[] {
  if (node.kind === 'null') return []
  if (node.kind !== 'seq')
    throw new ExceptionLoadError(exName, 'LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', node.pos)
  const tuples: ExceptionValue[][] = []
  const flat: string[] = []
  for (const v of node.items) {
    if (v.kind === 'scalar') flat.push(v.value)
    else if (v.kind === 'seq') {
      tuples.push(
        v.items.map((x) => {
          if (x.kind === 'scalar') return x.value
          if (x.kind === 'seq')
            return x.items.map((y) => {
              if (y.kind !== 'scalar')
                throw new ExceptionLoadError(
                  exName,
                  'LOAD_ERR_YAML_VALIDATE',
                  "Can't decode YAML scalar value",
                  y.pos
                )
              return y.value
            })
          throw new ExceptionLoadError(
            exName,
            'LOAD_ERR_YAML_VALIDATE',
            "Can't decode YAML scalar value",
            x.pos
          )
        })
      )
    } else
      throw new ExceptionLoadError(exName, 'LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", v.pos)
  }
  if (tuples.length > 0 && flat.length > 0)
    throw new ExceptionLoadError(
      exName,
      'LOAD_ERR_VALIDATE',
      'Expected values array to contain a list of strings',
      node.pos
    )
  return tuples.length > 0 ? tuples : flat
}

/** `appending`: entries may omit `fields` (they add values to an existing exception). */
export function readExceptions(node: YNode, file: string, appending: boolean): ExceptionDef[] {
  if (node.kind === 'null') return []
  if (node.kind !== 'seq')
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Rule exceptions must be a sequence', node.pos)
  const out: ExceptionDef[] = []
  for (const it of node.items) {
    if (it.kind !== 'map')
      throw new ExceptionLoadError(
        '',
        'LOAD_ERR_YAML_VALIDATE',
        'Unexpected element type. Each element should be a yaml associative array.',
        it.pos
      )
    let name: string
    try {
      name = reqString(it, 'name')
    } catch (e: unknown) {
      if (e instanceof LoadError) throw new ExceptionLoadError('', e.code, e.message, e.pos)
      throw e
    }
    const f = entry(it, 'fields')
    if (f === undefined && !appending)
      throw new ExceptionLoadError(
        name,
        'LOAD_ERR_YAML_VALIDATE',
        "Item has no mapping for key 'fields'",
        it.pos
      )
    const wrap = <T>(fn: () => T): T => {
      try {
        return fn()
      } catch (e: unknown) {
        if (e instanceof LoadError && !(e instanceof ExceptionLoadError))
          throw new ExceptionLoadError(name, e.code, e.message, e.pos)
        throw e
      }
    }
    const fields = f === undefined ? undefined : wrap(() => scalarOrSeq(f.value))
    const c = entry(it, 'comps')
    const comps = c === undefined ? undefined : wrap(() => scalarOrSeq(c.value))
    const v = entry(it, 'values')
    const values = v === undefined ? [] : readValues(v.value, name)
    const def: ExceptionDef = { name, fields: fields ?? [], values, source: { file, pos: it.pos } }
    if (fields === undefined) (def as { fieldsMissing?: boolean }).fieldsMissing = true
    if (comps !== undefined) def.comps = comps
    out.push(def)
  }
  return out
}

function fieldsMissing(ex: ExceptionDef): boolean {
  return (ex as { fieldsMissing?: boolean }).fieldsMissing === true
}

/** Falco's definition-time checks, in its order; fills in default comps. */
export function validateException(ex: ExceptionDef, isFieldDefined: (f: string) => boolean): void {
  const fail = (msg: string): never => {
    throw new ExceptionLoadError(ex.name, 'LOAD_ERR_VALIDATE', msg, ex.source.pos)
  }
  if (Array.isArray(ex.fields)) {
    if (ex.comps === undefined) ex.comps = ex.fields.map(() => '=')
    const comps = Array.isArray(ex.comps) ? ex.comps : [ex.comps]
    if (comps.length !== ex.fields.length) fail('Fields and comps lists must have equal length')
    ex.comps = comps.map((x) => x.trim())
    for (const comp of ex.comps)
      if (!isOperator(comp)) fail(`'${comp}' is not a supported comparison operator`)
    for (const field of ex.fields)
      if (!isFieldDefined(field)) fail(`'${field}' is not a supported filter field`)
    for (const v of ex.values)
      if (!Array.isArray(v) || v.length !== ex.fields.length)
        fail('Fields and values lists must have equal length')
  } else {
    if (ex.comps === undefined) ex.comps = 'in'
    if (Array.isArray(ex.comps)) fail('When fields is a single value, comps must also be a single value')
    const comp = (ex.comps as string).trim()
    ex.comps = comp
    if (!takesList(comp)) fail('When fields is a single value, comps must be one of (in, pmatch, intersects)')
    if (!isFieldDefined(ex.fields)) fail(`'${ex.fields}' is not a supported filter field`)
    for (const v of ex.values)
      if (Array.isArray(v)) fail('Expected values array to contain a list of strings')
  }
}

/** Appends exceptions: values of same-named ones are appended, new names are added (after validation). */
export function mergeExceptions(
  target: ExceptionDef[],
  added: ExceptionDef[],
  isFieldDefined: (f: string) => boolean
): void {
  for (const ex of added) {
    const prev = target.find((t) => t.name === ex.name)
    if (prev !== undefined) {
      if (!fieldsMissing(ex))
        throw new ExceptionLoadError(
          ex.name,
          'LOAD_ERR_VALIDATE',
          'Can not append exception fields to existing exception, only values',
          ex.source.pos
        )
      if (ex.comps !== undefined)
        throw new ExceptionLoadError(
          ex.name,
          'LOAD_ERR_VALIDATE',
          'Can not append exception comps to existing exception, only values',
          ex.source.pos
        )
      const merged = { ...prev, values: [...prev.values, ...ex.values] as ExceptionDef['values'] }
      validateException(merged, isFieldDefined)
      prev.values = merged.values
      continue
    }
    if (fieldsMissing(ex))
      throw new ExceptionLoadError(
        ex.name,
        'LOAD_ERR_VALIDATE',
        'Rule exception must have fields property with a list of fields',
        ex.source.pos
      )
    if (ex.values.length === 0)
      throw new ExceptionLoadError(
        ex.name,
        'LOAD_ERR_VALIDATE',
        'Rule exception must have values property with a list of values',
        ex.source.pos
      )
    validateException(ex, isFieldDefined)
    target.push(ex)
  }
}

/** Wraps a value in double quotes when it holds a space and is not already quoted (as list items are). */
export function quoteItem(v: string): string {
  if (v.includes(' ') && !v.startsWith('"') && !v.startsWith("'")) return `"${v}"`
  return v
}

/** Wraps a value in parentheses unless it already starts with one (a list operand may name a list). */
function parenItem(v: string): string {
  return v.startsWith('(') ? v : `(${v})`
}

/** The ` and not (…)` text one exception adds, or '' when it has no values. */
export function exceptionClause(ex: ExceptionDef): string {
  if (!Array.isArray(ex.fields)) {
    const vals = ex.values as string[]
    if (vals.length === 0) return ''
    return `(${ex.fields} ${String(ex.comps)} (${vals.map(quoteItem).join(', ')}))`
  }
  const fields = ex.fields
  const comps = Array.isArray(ex.comps) ? ex.comps : fields.map(() => '=')
  const tuples = ex.values as ExceptionValue[][]
  if (tuples.length === 0) return ''
  const parts = tuples.map((tuple) => {
    const terms = fields.map((field, k) => {
      const comp = comps[k] ?? '='
      const val = tuple[k] ?? ''
      const text = Array.isArray(val)
        ? `(${val.map(quoteItem).join(', ')})`
        : takesList(comp)
          ? parenItem(val)
          : quoteItem(val)
      return `${field} ${comp} ${text}`
    })
    return `(${terms.join(' and ')})`
  })
  return `(${parts.join(' or ')})`
}

/** The rule condition with every exception clause appended. */
export function conditionWithExceptions(condition: string, exceptions: readonly ExceptionDef[]): string {
  const clauses = exceptions.map(exceptionClause).filter((c) => c !== '')
  if (clauses.length === 0) return condition
  return `(${condition})` + clauses.map((c) => ` and not ${c}`).join('')
}
