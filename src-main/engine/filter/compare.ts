// Scalar comparison predicates, built once per check with constants pre-converted (sets for `in`, lowercased
// needles, compiled globs/regexes, parsed networks), plus the slower dynamic comparison used when the right
// side is another field.
import type { Modifier } from './ast'
import type { Constant, OpName } from './checker'
import type { FieldScalar, FieldType } from './field-registry'
import { asciiLowerAll, compileGlob } from './glob'
import { canonicalIp, cidrContains, parseIp } from './ip'
import type { Cidr } from './ip'
import { compilePathPrefixes } from './pmatch'

const LEADING_ZERO = /(?:^|\.)0\d/

export type ScalarTest = (v: FieldScalar) => boolean

// ---- value normalisation (the registry should already return the right JS type; be lenient anyway)

export function asText(v: FieldScalar): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1')
  return String(v)
}

function asNum(v: FieldScalar): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  const n = Number(asText(v))
  return n
}

function asBool(v: FieldScalar): boolean {
  return v === true || v === 1 || v === 'true'
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** sign of v - c for a numeric constant; NaN when v is not a number */
function numCmp(v: number | bigint, c: { n: number; big: bigint | undefined }): number {
  if (typeof v === 'number') {
    if (c.big === undefined || !Number.isInteger(v)) return v < c.n ? -1 : v > c.n ? 1 : v === c.n ? 0 : NaN
    return cmpBig(BigInt(v), c.big)
  }
  if (c.big !== undefined) return cmpBig(v, c.big)
  if (!Number.isInteger(c.n)) {
    const x = Number(v)
    return x < c.n ? -1 : x > c.n ? 1 : 0
  }
  return cmpBig(v, BigInt(c.n))
}

function orderTest(op: OpName, sign: (v: FieldScalar) => number): ScalarTest {
  switch (op) {
    case '<':
      return (v) => sign(v) < 0
    case '<=':
      return (v) => sign(v) <= 0
    case '>':
      return (v) => sign(v) > 0
    case '>=':
      return (v) => sign(v) >= 0
    case '!=':
      return (v) => sign(v) !== 0
    default:
      return (v) => sign(v) === 0
  }
}

/** String test of one constant for a text operator. */
function stringTest(op: OpName, c: string): (s: string) => boolean {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (s) => s === c
    case '!=':
      return (s) => s !== c
    case 'contains':
    case 'bcontains':
      return (s) => s.includes(c)
    case 'icontains': {
      const lc = asciiLowerAll(c)
      return (s) => asciiLowerAll(s).includes(lc)
    }
    case 'startswith':
    case 'bstartswith':
      return (s) => s.startsWith(c)
    case 'endswith':
      return (s) => s.endsWith(c)
    case 'glob':
      return compileGlob(c)
    case 'iglob':
      return compileGlob(c, true)
    case 'regex': {
      const re = new RegExp(`^(?:${c})$`, 's')
      return (s) => re.test(s)
    }
    case 'pmatch':
      return compilePathPrefixes([c])
    case '<':
      return (s) => s < c
    case '<=':
      return (s) => s <= c
    case '>':
      return (s) => s > c
    case '>=':
      return (s) => s >= c
    case 'exists':
      return () => true
  }
}

function combine(tests: ((s: string) => boolean)[], modifier: Modifier): (s: string) => boolean {
  switch (modifier) {
    case 'anyof':
      return (s) => tests.some((t) => t(s))
    case 'allof':
      return (s) => tests.every((t) => t(s))
    case 'oneof':
      return (s) => {
        let n = 0
        for (const t of tests) if (t(s) && ++n > 1) return false
        return n === 1
      }
  }
}

/**
 * The predicate for `field <op> constants` on one scalar value of type `type`. For `in`/`intersects`/
 * `pmatch` `consts` is the list; otherwise it holds one constant (or, with a modifier, the modifier's list).
 */
export function makeScalarTest(
  type: FieldType,
  op: OpName,
  consts: readonly Constant[],
  modifier: Modifier | undefined
): ScalarTest {
  const isSet = op === 'in' || op === 'intersects'
  switch (type) {
    case 'string':
    case 'dyn':
    case 'bytes': {
      const strs = consts.map((c) => (c.kind === 'string' || c.kind === 'bytes' ? c.s : ''))
      let t: (s: string) => boolean
      if (isSet) {
        const set = new Set(strs)
        t = (s) => set.has(s)
      } else if (op === 'pmatch') t = compilePathPrefixes(strs)
      else if (modifier !== undefined)
        t = combine(
          strs.map((c) => stringTest(op, c)),
          modifier
        )
      else t = stringTest(op, strs[0] ?? '')
      return (v) => t(typeof v === 'string' ? v : asText(v))
    }
    case 'bool': {
      const bs = consts.map((c) => c.kind === 'bool' && c.b)
      if (op === '!=') return (v) => asBool(v) !== bs[0]
      return (v) => bs.includes(asBool(v))
    }
    case 'ipaddr': {
      const keys = new Set(consts.map((c) => (c.kind === 'ip' ? c.key : '')))
      const eq: ScalarTest = (v) => {
        const t = asText(v)
        if (keys.has(t)) return true
        // a canonical IPv4 text that is not a key cannot equal one; only other spellings need parsing
        if (!t.includes(':') && !LEADING_ZERO.test(t)) return false
        const k = canonicalIp(t)
        return k !== undefined && keys.has(k)
      }
      return op === '!=' ? (v) => !eq(v) : eq
    }
    case 'ipnet': {
      const nets: Cidr[] = []
      for (const c of consts) if (c.kind === 'net') nets.push(c.net)
      const inside: ScalarTest = (v) => {
        const a = parseIp(asText(v))
        return a !== undefined && nets.some((n) => cidrContains(n, a))
      }
      return op === '!=' ? (v) => !inside(v) : inside
    }
    default: {
      const nums = consts.flatMap((c) => (c.kind === 'number' ? [c] : []))
      if (isSet) {
        const small = new Set<number>()
        const big = new Set<bigint>()
        let frac = false
        for (const c of nums) {
          if (c.big !== undefined) big.add(c.big)
          else small.add(c.n)
          if (!Number.isInteger(c.n)) frac = true
        }
        return (v) => {
          const x = typeof v === 'number' ? v : asNum(v)
          if (typeof x === 'number')
            return small.has(x) || (!frac && big.size > 0 && Number.isInteger(x) && big.has(BigInt(x)))
          return Number.isSafeInteger(Number(x)) ? small.has(Number(x)) : big.has(x)
        }
      }
      const c = nums[0] ?? { n: 0, big: undefined }
      if (c.big === undefined) {
        // fast paths for the common small-constant case
        const n = c.n
        switch (op) {
          case '=':
          case '==':
            return (v) => (typeof v === 'number' ? v === n : numCmp(asNum(v), c) === 0)
          case '!=':
            return (v) => (typeof v === 'number' ? v !== n : numCmp(asNum(v), c) !== 0)
          case '<':
            return (v) => (typeof v === 'number' ? v < n : numCmp(asNum(v), c) < 0)
          case '<=':
            return (v) => (typeof v === 'number' ? v <= n : numCmp(asNum(v), c) <= 0)
          case '>':
            return (v) => (typeof v === 'number' ? v > n : numCmp(asNum(v), c) > 0)
          case '>=':
            return (v) => (typeof v === 'number' ? v >= n : numCmp(asNum(v), c) >= 0)
          default:
            break
        }
      }
      return orderTest(op, (v) => numCmp(asNum(v), c))
    }
  }
}

/** Field-vs-field comparison (`val(f)` or transformer on the right); both values present. */
export function compareDynamic(type: FieldType, op: OpName, a: FieldScalar, b: FieldScalar): boolean {
  switch (type) {
    case 'string':
    case 'dyn':
    case 'bytes':
      return stringTest(op, asText(b))(asText(a))
    case 'bool':
      return op === '!=' ? asBool(a) !== asBool(b) : asBool(a) === asBool(b)
    case 'ipaddr': {
      const eq = canonicalIp(asText(a)) === canonicalIp(asText(b)) && canonicalIp(asText(a)) !== undefined
      return op === '!=' ? !eq : eq
    }
    case 'ipnet':
      return false
    default: {
      const x = asNum(a)
      const y = asNum(b)
      const s =
        typeof x === 'bigint' || typeof y === 'bigint'
          ? numCmp(x, toConst(y))
          : x < y
            ? -1
            : x > y
              ? 1
              : x === y
                ? 0
                : NaN
      return orderTest(op, () => s)(a)
    }
  }
}

function toConst(y: number | bigint): { n: number; big: bigint | undefined } {
  return typeof y === 'bigint' ? { n: Number(y), big: y } : { n: y, big: undefined }
}
