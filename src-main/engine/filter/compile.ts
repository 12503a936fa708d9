// AST → pre-bound closures `(ctx) => boolean`. No eval: every node becomes a small closure over its
// children, constants converted once (checker.ts), missing values make a check false whatever the operator
// (FALCO_RULES.md §3.3), and/or short-circuit.
import type { Ast, BinaryCheck, Operand, TransformerName, ValueNode } from './ast'
import { operandField } from './ast'
import { checkOperator, fail, isNumericType, parseConstant, regexProblem, resolveField } from './checker'
import type { Constant, ErrorSite, OpName } from './checker'
import { compareDynamic, makeScalarTest } from './compare'
import type { ScalarTest } from './compare'
import { expandMacros } from './expand'
import type { MacroDef } from './expand'
import type { FieldDef, FieldRegistry, FieldScalar, FieldType, FieldValue } from './field-registry'
import { asciiLowerAll } from './glob'
import { parseCondition } from './parser'

export type Predicate<C> = (ctx: C) => boolean

/** A compiled operand: the base field (through transformers) and a getter of its (transformed) value. */
export interface CompiledOperand<C> {
  def: FieldDef<C>
  type: FieldType
  isList: boolean
  multi: 'any' | 'either' | undefined
  get: (ctx: C) => FieldValue | undefined
}

/** Compiles a parsed (and macro-expanded) condition. `text` is what `ast`'s ranges point into. */
export function compileCondition<C>(ast: Ast, text: string, registry: FieldRegistry<C>): Predicate<C> {
  return compileNode(ast, registry, { text, macro: undefined })
}

/** Validates a condition against the registry (throws the first FilterError). */
export function checkCondition<C>(ast: Ast, text: string, registry: FieldRegistry<C>): void {
  compileCondition(ast, text, registry)
}

export interface FilterOptions {
  /** macro lookup; without it any identifier is FLT_UNDEFINED_MACRO */
  macros?: (name: string) => MacroDef | undefined
}

/** parse + expand macros + compile: what `peregrine events FILE FILTER` needs. */
export function compileFilter<C>(
  text: string,
  registry: FieldRegistry<C>,
  options: FilterOptions = {}
): Predicate<C> {
  const ast = expandMacros(parseCondition(text), text, options.macros ?? (() => undefined))
  return compileCondition(ast, text, registry)
}

function compileNode<C>(node: Ast, reg: FieldRegistry<C>, site: ErrorSite): Predicate<C> {
  switch (node.kind) {
    case 'and':
      return allOf(node.children.map((c) => compileNode(c, reg, site)))
    case 'or':
      return anyOf(node.children.map((c) => compileNode(c, reg, site)))
    case 'not': {
      const f = compileNode(node.child, reg, site)
      return (ctx) => !f(ctx)
    }
    case 'macro':
      if (node.body === undefined)
        fail('FLT_UNDEFINED_MACRO', `undefined macro '${node.name}'`, node.range, site)
      return compileNode(node.body, reg, { text: node.source ?? site.text, macro: node.name })
    case 'unary': {
      const o = compileOperand(node.lhs, reg, site)
      checkOperator(o.type, o.isList, 'exists', o.def.name, node.opRange, site)
      const get = o.get
      if (o.multi === undefined) return (ctx) => get(ctx) !== undefined
      return (ctx) => {
        const v = get(ctx)
        return v !== undefined && !(Array.isArray(v) && v.length === 0)
      }
    }
    case 'binary':
      return compileBinary(node, reg, site)
  }
}

function allOf<C>(fs: Predicate<C>[]): Predicate<C> {
  const [a, b, c] = fs
  if (fs.length === 1 && a !== undefined) return a
  if (fs.length === 2 && a !== undefined && b !== undefined) return (ctx) => a(ctx) && b(ctx)
  if (fs.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
    return (ctx) => a(ctx) && b(ctx) && c(ctx)
  }
  return (ctx) => {
    for (const f of fs) if (!f(ctx)) return false
    return true
  }
}

function anyOf<C>(fs: Predicate<C>[]): Predicate<C> {
  const [a, b, c] = fs
  if (fs.length === 1 && a !== undefined) return a
  if (fs.length === 2 && a !== undefined && b !== undefined) return (ctx) => a(ctx) || b(ctx)
  if (fs.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
    return (ctx) => a(ctx) || b(ctx) || c(ctx)
  }
  return (ctx) => {
    for (const f of fs) if (f(ctx)) return true
    return false
  }
}

// ---- operands

export function compileOperand<C>(o: Operand, reg: FieldRegistry<C>, site: ErrorSite): CompiledOperand<C> {
  if (o.kind === 'field') {
    const { def, arg } = resolveField(o, reg, site)
    const get: (ctx: C) => FieldValue | undefined =
      def.bind !== undefined
        ? def.bind(arg)
        : arg === undefined
          ? (ctx) => def.extract(ctx)
          : (ctx) => def.extract(ctx, arg)
    return { def, type: def.type, isList: def.isList === true, multi: def.multi, get }
  }
  const inner = compileOperand(o.arg, reg, site)
  if (inner.def.noTransformer === true) {
    fail('FLT_BAD_TRANSFORMER', `field '${inner.def.name}' does not support transformers`, o.range, site)
  }
  const textual = inner.type === 'string' || inner.type === 'dyn' || inner.type === 'bytes'
  if (!textual && !(o.name === 'len' && inner.isList)) {
    fail(
      'FLT_BAD_TRANSFORMER',
      `${o.name}() needs a string or buffer field, not ${inner.type}`,
      o.range,
      site
    )
  }
  const f = transformerFn(o.name)
  const g = inner.get
  if (o.name === 'len' && inner.isList) {
    return {
      ...inner,
      type: 'uint',
      isList: false,
      get: (ctx) => {
        const v = g(ctx)
        return v === undefined ? undefined : Array.isArray(v) ? v.length : 1
      }
    }
  }
  const get = (ctx: C): FieldValue | undefined => {
    const v = g(ctx)
    if (v === undefined) return undefined
    if (isArray(v)) {
      const out: FieldScalar[] = []
      for (const x of v) {
        const y = f(x)
        if (y !== undefined) out.push(y)
      }
      return out
    }
    return f(v)
  }
  return { ...inner, type: o.name === 'len' ? 'uint' : 'string', get }
}

function isArray(v: FieldValue): v is readonly FieldScalar[] {
  return Array.isArray(v)
}

function text(v: FieldScalar): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1')
  return String(v)
}

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function transformerFn(name: TransformerName): (v: FieldScalar) => FieldScalar | undefined {
  switch (name) {
    case 'tolower':
      return (v) => asciiLowerAll(text(v))
    case 'toupper':
      return (v) => {
        const s = text(v)
        return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s
      }
    case 'b64':
      return (v) => {
        const s = text(v)
        return B64_RE.test(s) ? Buffer.from(s, 'base64').toString('utf8') : undefined
      }
    case 'basename':
      return (v) => {
        const s = text(v)
        return s.slice(s.lastIndexOf('/') + 1)
      }
    case 'len':
      return (v) => (v instanceof Uint8Array ? v.byteLength : text(v).length)
  }
}

// ---- binary checks

function compileBinary<C>(node: BinaryCheck, reg: FieldRegistry<C>, site: ErrorSite): Predicate<C> {
  const lhs = compileOperand(node.lhs, reg, site)
  const op: OpName = node.op
  const fieldName = operandField(node.lhs).name
  checkOperator(lhs.type, lhs.isList, op, fieldName, node.opRange, site)
  const rhs = node.rhs
  if (rhs.kind === 'rhs-field') return compileFieldVsField(node, lhs, reg, site)

  const values: ValueNode[] = rhs.kind === 'list' ? rhs.items : [rhs]
  const consts: Constant[] = values.map((v) => {
    const extra = lhs.def.checkValue?.(v.value)
    if (extra !== undefined && operandField(node.lhs) === node.lhs)
      fail('FLT_BAD_VALUE', extra, v.range, site)
    if (op === 'regex') {
      const problem = regexProblem(v.value)
      if (problem !== undefined) fail('FLT_BAD_VALUE', `${problem}: '${v.value}'`, v.range, site)
    }
    return parseConstant(lhs.type, op, v.value, v.range, site)
  })
  const get = lhs.get

  if (lhs.isList) {
    const member = makeScalarTest(lhs.type, 'in', consts, undefined)
    if (op === 'in') {
      return (ctx) => {
        const v = get(ctx)
        if (v === undefined) return false
        if (!isArray(v)) return member(v)
        return v.length > 0 && v.every(member)
      }
    }
    return (ctx) => {
      const v = get(ctx)
      if (v === undefined) return false
      return isArray(v) ? v.some(member) : member(v)
    }
  }

  if (lhs.multi === 'either' && op === '!=') {
    // "no endpoint equals"
    const eq = makeScalarTest(lhs.type, '=', consts, undefined)
    return (ctx) => {
      const v = get(ctx)
      if (v === undefined) return false
      if (!isArray(v)) return !eq(v)
      return v.length > 0 && !v.some(eq)
    }
  }

  const t = makeScalarTest(lhs.type, op, consts, node.modifier)
  return wrapScalar(get, t)
}

function wrapScalar<C>(get: (ctx: C) => FieldValue | undefined, t: ScalarTest): Predicate<C> {
  return (ctx) => {
    const v = get(ctx)
    if (v === undefined) return false
    if (typeof v === 'string' || typeof v === 'number') return t(v)
    if (isArray(v)) {
      for (const x of v) if (t(x)) return true
      return false
    }
    return t(v)
  }
}

function family(t: FieldType): string {
  if (t === 'string' || t === 'dyn' || t === 'bytes') return 'text'
  if (isNumericType(t)) return 'number'
  return t
}

function compileFieldVsField<C>(
  node: BinaryCheck,
  lhs: CompiledOperand<C>,
  reg: FieldRegistry<C>,
  site: ErrorSite
): Predicate<C> {
  if (node.rhs.kind !== 'rhs-field') throw new Error('unreachable')
  const rhs = compileOperand(node.rhs.operand, reg, site)
  const op: OpName = node.op
  if (op === 'pmatch' || op === 'regex' || op === 'bcontains' || op === 'bstartswith') {
    fail('FLT_BAD_OPERATOR', `'${op}' does not accept a field on the right`, node.opRange, site)
  }
  if (lhs.type === 'ipnet' || rhs.type === 'ipnet') {
    fail('FLT_BAD_OPERATOR', 'network fields cannot be compared with another field', node.opRange, site)
  }
  for (const side of [lhs, rhs]) {
    if (side.def.noRhs === true) {
      fail(
        'FLT_BAD_OPERATOR',
        `field '${side.def.name}' cannot be compared with another field`,
        node.range,
        site
      )
    }
  }
  const listOp = op === 'in' || op === 'intersects'
  if (family(lhs.type) !== family(rhs.type) || (!listOp && lhs.isList !== rhs.isList)) {
    fail(
      'FLT_BAD_OPERATOR',
      `cannot compare ${lhs.type}${lhs.isList ? ' list' : ''} field with ${rhs.type}${rhs.isList ? ' list' : ''} field`,
      node.rhs.range,
      site
    )
  }
  const type = lhs.type
  const lget = lhs.get
  const rget = rhs.get
  if (listOp) {
    return (ctx) => {
      const a = lget(ctx)
      const b = rget(ctx)
      if (a === undefined || b === undefined) return false
      const bs = isArray(b) ? b : [b]
      const inB = (x: FieldScalar): boolean => bs.some((y) => compareDynamic(type, '=', x, y))
      if (!isArray(a)) return inB(a)
      return op === 'in' ? a.length > 0 && a.every(inB) : a.some(inB)
    }
  }
  return (ctx) => {
    const a = lget(ctx)
    const b = rget(ctx)
    if (a === undefined || b === undefined) return false
    const as = isArray(a) ? a : [a]
    const bs = isArray(b) ? b : [b]
    for (const x of as) for (const y of bs) if (compareDynamic(type, op, x, y)) return true
    return false
  }
}
