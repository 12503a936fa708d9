// Static checks of a condition against the field registry (FALCO_RULES.md §2.3, §3.4): the field exists
// and takes (or needs) a bracket argument, the operator suits the field's type, and constants convert to
// the field's type. Constants are converted here once, at compile time.
import type { BinaryOp, FieldRef, Range } from './ast'
import { FilterError } from './errors'
import type { FilterErrorCode } from './errors'
import type { FieldDef, FieldRegistry, FieldType } from './field-registry'
import { parseCidr, parseIp, ipKey } from './ip'
import type { Cidr } from './ip'

/** Where errors point: the text the node's ranges index into, and the macro it came from. */
export interface ErrorSite {
  text: string
  macro: string | undefined
}

export function fail(code: FilterErrorCode, message: string, range: Range, site: ErrorSite): never {
  throw new FilterError(code, message, range, site.text, site.macro)
}

export type OpName = BinaryOp | 'exists'

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'int',
  'uint',
  'double',
  'port',
  'reltime',
  'abstime',
  'mode',
  'flags'
])

export function isNumericType(t: FieldType): boolean {
  return NUMERIC_TYPES.has(t)
}

const EQ_OPS: readonly OpName[] = ['=', '==', '!=', 'in', 'intersects', 'exists']
const ORDER_OPS: readonly OpName[] = ['<', '<=', '>', '>=']
const TEXT_OPS: readonly OpName[] = [
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
  'pmatch'
]

/** Operators each type accepts (libs' per-type operator table, §3.4). */
export function allowedOps(type: FieldType): readonly OpName[] {
  switch (type) {
    case 'string':
    case 'dyn':
      return [...EQ_OPS, ...ORDER_OPS, ...TEXT_OPS]
    case 'bytes':
      return [
        ...EQ_OPS,
        'contains',
        'icontains',
        'startswith',
        'endswith',
        'bcontains',
        'bstartswith',
        'glob'
      ]
    case 'bool':
    case 'ipaddr':
    case 'ipnet':
      return EQ_OPS
    default:
      return [...EQ_OPS, ...ORDER_OPS]
  }
}

export function checkOperator(
  type: FieldType,
  isList: boolean,
  op: OpName,
  field: string,
  range: Range,
  site: ErrorSite
): void {
  if (isList && op !== 'in' && op !== 'intersects' && op !== 'exists') {
    fail(
      'FLT_BAD_OPERATOR',
      `'${op}' is not supported for list field ${field} (use in/intersects)`,
      range,
      site
    )
  }
  if (!allowedOps(type).includes(op)) {
    const what = isNumericType(type) ? 'numeric' : type
    fail('FLT_BAD_OPERATOR', `'${op}' operator not supported for ${what} field ${field}`, range, site)
  }
}

/**
 * Finds the definition for a dotted field name. An exact registry entry wins; otherwise the longest dotted
 * prefix that names a field taking an argument is used and the rest is its argument, as libs does for
 * `evt.arg.flags`, `evt.rawarg.res`, `evt.type.is.open` (so a registry may define just `evt.arg`).
 */
export function lookupField<C>(
  registry: FieldRegistry<C>,
  name: string
): { def: FieldDef<C>; dottedArg: string | undefined } | undefined {
  const exact = registry.lookup(name)
  if (exact !== undefined) return { def: exact, dottedArg: undefined }
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const def = registry.lookup(name.slice(0, dot))
    if (def !== undefined) return def.arg === 'none' ? undefined : { def, dottedArg: name.slice(dot + 1) }
  }
  return undefined
}

/** Looks a field up and checks its argument (bracket or dotted); returns the def and the argument to pass. */
export function resolveField<C>(
  ref: FieldRef,
  registry: FieldRegistry<C>,
  site: ErrorSite
): { def: FieldDef<C>; arg: string | number | undefined } {
  const found = lookupField(registry, ref.name)
  if (found === undefined) fail('FLT_UNKNOWN_FIELD', `unknown field '${ref.name}'`, ref.range, site)
  const def = found.def
  const a =
    found.dottedArg === undefined
      ? ref.arg
      : {
          value: found.dottedArg,
          range: { start: ref.range.start + def.name.length + 1, end: ref.range.start + ref.name.length }
        }
  if (found.dottedArg !== undefined && ref.arg !== undefined) {
    fail('FLT_BAD_FIELD_ARG', `field '${ref.name}' already has an argument`, ref.arg.range, site)
  }
  if (a === undefined) {
    if (def.arg === 'required') {
      fail(
        'FLT_BAD_FIELD_ARG',
        `field '${ref.name}' requires an argument, e.g. ${ref.name}[...]`,
        ref.range,
        site
      )
    }
    return { def, arg: undefined }
  }
  if (def.arg === 'none') fail('FLT_BAD_FIELD_ARG', `field '${ref.name}' takes no argument`, a.range, site)
  let arg: string | number = a.value
  if (def.argKind === 'index') {
    if (!/^\d{1,9}$/.test(a.value)) {
      fail('FLT_BAD_FIELD_ARG', `field '${def.name}' needs a numeric index, got '${a.value}'`, a.range, site)
    }
    arg = Number(a.value)
  } else if (def.argKind === 'auto' && /^\d{1,9}$/.test(a.value)) {
    arg = Number(a.value)
  }
  const bad = def.checkArg?.(arg)
  if (bad !== undefined) fail('FLT_BAD_FIELD_ARG', bad, a.range, site)
  return { def, arg }
}

export const MAX_REGEX_LENGTH = 4096

/**
 * Why a `regex` pattern is refused, or undefined. libs uses RE2 (linear time, no backreferences or
 * lookaround); JS regexes backtrack, so besides RE2's unsupported constructs we refuse a quantified group
 * that itself contains a quantifier (`(a+)+`), the shape behind exponential matching.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH)
    return `patterns longer than ${MAX_REGEX_LENGTH} characters are refused`
  if (/\\[1-9]/.test(pattern)) return 'backreferences are not supported (RE2 syntax)'
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround is not supported (RE2 syntax)'
  if (/\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/.test(pattern)) {
    return 'nested quantifiers are refused (they can take exponential time)'
  }
  try {
    new RegExp(pattern)
  } catch {
    return 'invalid regular expression'
  }
  return undefined
}

/** A constant converted to the field's type. */
export type Constant =
  | { kind: 'string'; s: string }
  | { kind: 'number'; n: number; big: bigint | undefined; text: string }
  | { kind: 'bool'; b: boolean }
  | { kind: 'ip'; key: string }
  | { kind: 'net'; net: Cidr }
  | { kind: 'bytes'; s: string }

const INT_RE = /^[+-]?\d+$/
const UINT_RE = /^\+?\d+$/
const DOUBLE_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/**
 * Converts the constant `text` for comparison with a field of type `type` by operator `op`
 * (bcontains/bstartswith take hex). Throws FLT_BAD_VALUE when it does not convert.
 */
export function parseConstant(
  type: FieldType,
  op: OpName,
  text: string,
  range: Range,
  site: ErrorSite
): Constant {
  if (text.includes('\0')) fail('FLT_BAD_VALUE', 'NUL character in a constant', range, site)
  switch (type) {
    case 'string':
    case 'dyn':
      return { kind: 'string', s: text }
    case 'bytes':
      if (op === 'bcontains' || op === 'bstartswith') {
        if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) {
          fail('FLT_BAD_VALUE', `'${text}' is not a hex byte string`, range, site)
        }
        let s = ''
        for (let i = 0; i < text.length; i += 2) s += String.fromCharCode(parseInt(text.slice(i, i + 2), 16))
        return { kind: 'bytes', s }
      }
      return { kind: 'bytes', s: text }
    case 'bool':
      if (text === 'true') return { kind: 'bool', b: true }
      if (text === 'false') return { kind: 'bool', b: false }
      return fail('FLT_BAD_VALUE', `'${text}' is not a valid boolean (true or false)`, range, site)
    case 'ipaddr': {
      const a = parseIp(text)
      if (a === undefined) fail('FLT_BAD_VALUE', `'${text}' is not a valid IP address`, range, site)
      return { kind: 'ip', key: ipKey(a) }
    }
    case 'ipnet': {
      const net = parseCidr(text)
      if (net === undefined)
        fail('FLT_BAD_VALUE', `'${text}' is not a valid network (a.b.c.d/n)`, range, site)
      return { kind: 'net', net }
    }
    case 'double': {
      if (!DOUBLE_RE.test(text)) fail('FLT_BAD_VALUE', `'${text}' is not a valid number`, range, site)
      return { kind: 'number', n: Number(text), big: undefined, text }
    }
    default: {
      const signed = type === 'int'
      if (!(signed ? INT_RE : UINT_RE).test(text)) {
        fail('FLT_BAD_VALUE', `'${text}' is not a valid ${signed ? '' : 'unsigned '}number`, range, site)
      }
      const big = BigInt(text)
      const [lo, hi] = signed ? [INT64_MIN, INT64_MAX] : [0n, type === 'port' ? 65535n : UINT64_MAX]
      if (big < lo || big > hi) fail('FLT_BAD_VALUE', `'${text}' is out of range`, range, site)
      const n = Number(big)
      return { kind: 'number', n, big: Number.isSafeInteger(n) ? undefined : big, text }
    }
  }
}
