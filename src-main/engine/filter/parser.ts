// Recursive-descent parser for Falco/sysdig filter conditions (libs' grammar, written from
// FALCO_RULES.md §2; one function per precedence level).
//
//   condition   := or_expr EOF
//   or_expr     := and_expr { "or" (BLANK | &"(") and_expr }
//   and_expr    := not_expr { "and" (BLANK | &"(") not_expr }
//   not_expr    := { "not" (BLANK | &"(") } check                 (each "not" toggles)
//   check       := "(" or_expr ")"
//                | operand "exists"
//                | operand numop ( NUMBER | HEX | rhs_field )
//                | operand strop [ modifier ] ( rhs_field | QUOTED | BARESTR | list )
//                | operand listop ( list | rhs_field | QUOTED | BARESTR )
//                | IDENTIFIER                                      (macro reference)
//   operand     := field | TNAME "(" operand ")"
//   field       := FIELDNAME [ "[" ( QUOTED | FIELDARG ) "]" ]     (no blank before "[")
//   rhs_field   := "val(" field ")" | TNAME "(" operand ")"
//   list        := "(" [ value { "," value } ] ")"
//   value       := QUOTED | BARESTR
//   numop       := "<=" | "<" | ">=" | ">"
//   strop       := "==" | "=" | "!=" | contains | icontains | bcontains | startswith | bstartswith
//                | endswith | glob | iglob | regex
//   listop      := in | intersects | pmatch
//   modifier    := oneof | anyof | allof                          (only before "(")
//   TNAME       := tolower | toupper | b64 | basename | len
//
// A dotted name is always a field, an undotted one a macro (or a transformer when followed by "(").
// Word operators need a blank after them (`in`, `intersects`, `pmatch` may be followed by "(" directly).
// Deviation from libs, on purpose: after and/or/not we accept any blank or "(" and then parse the normal
// operand, which accepts a superset of libs' `or(` forms.
import type {
  Ast,
  BinaryOp,
  FieldRef,
  ListNode,
  Modifier,
  Operand,
  Range,
  Rhs,
  FieldRhs,
  ValueNode
} from './ast'
import { LIST_OPS, MODIFIERS, NUMERIC_OPS, STRING_OPS, isTransformerName } from './ast'
import { FilterError } from './errors'
import { Scanner } from './lexer'

/** Nesting limit (parentheses, `not`s and transformer calls together); Falco uses 1000 as well. */
export const MAX_DEPTH = 1000
/** Longest condition accepted (characters). Expanded official rules are < 100 KB. */
export const MAX_CONDITION_LENGTH = 4 * 1024 * 1024
/** Most items in one parenthesised list. */
export const MAX_LIST_ITEMS = 1_000_000

const WORD_OPS: ReadonlySet<string> = new Set<string>([
  ...STRING_OPS.filter((o) => /^[a-z]/.test(o)),
  ...LIST_OPS,
  'exists'
])

export function parseCondition(text: string): Ast {
  return new Parser(text).parseAll()
}

/**
 * Parses one operand (field with optional `[arg]`, or transformer call) starting at `pos`; for output
 * formats. Returns the operand and the position after it.
 */
export function parseOperandAt(text: string, pos: number): { operand: Operand; end: number } {
  const p = new Parser(text)
  return p.operandAt(pos)
}

class Parser {
  private readonly s: Scanner
  private depth = 0

  constructor(text: string) {
    this.s = new Scanner(text)
  }

  operandAt(pos: number): { operand: Operand; end: number } {
    this.s.pos = pos
    const operand = this.operand()
    return { operand, end: this.s.pos }
  }

  parseAll(): Ast {
    const s = this.s
    const text = s.text
    if (text.length > MAX_CONDITION_LENGTH) {
      throw new FilterError(
        'FLT_TOO_LARGE',
        `condition longer than ${MAX_CONDITION_LENGTH} characters`,
        { start: MAX_CONDITION_LENGTH, end: text.length },
        text
      )
    }
    s.skipBlanks()
    if (s.atEnd()) throw new FilterError('FLT_EMPTY', 'empty condition', { start: 0, end: 0 }, text)
    const ast = this.orExpr()
    s.skipBlanks()
    if (!s.atEnd()) {
      if (s.peek() === ')') throw s.error("unbalanced ')'")
      throw s.error(`unexpected token '${tokenPreview(text, s.pos)}'`)
    }
    return ast
  }

  private enter(start: number): void {
    if (++this.depth > MAX_DEPTH) {
      throw new FilterError(
        'FLT_TOO_DEEP',
        `condition nested deeper than ${MAX_DEPTH} levels`,
        { start, end: start + 1 },
        this.s.text
      )
    }
  }

  private orExpr(): Ast {
    const s = this.s
    s.skipBlanks()
    const start = s.pos
    const first = this.andExpr()
    const children: Ast[] = [first]
    s.skipBlanks()
    while (s.keywordAt('or')) {
      s.pos += 2
      children.push(this.andExpr())
      s.skipBlanks()
    }
    if (children.length === 1) return first
    return { kind: 'or', children, range: { start, end: lastEnd(children) } }
  }

  private andExpr(): Ast {
    const s = this.s
    s.skipBlanks()
    const start = s.pos
    const first = this.notExpr()
    const children: Ast[] = [first]
    s.skipBlanks()
    while (s.keywordAt('and')) {
      s.pos += 3
      children.push(this.notExpr())
      s.skipBlanks()
    }
    if (children.length === 1) return first
    return { kind: 'and', children, range: { start, end: lastEnd(children) } }
  }

  private notExpr(): Ast {
    const s = this.s
    s.skipBlanks()
    const starts: number[] = []
    while (s.keywordAt('not')) {
      this.enter(s.pos)
      starts.push(s.pos)
      s.pos += 3
      s.skipBlanks()
    }
    let node = this.check()
    for (let i = starts.length - 1; i >= 0; i--) {
      node = { kind: 'not', child: node, range: { start: starts[i] ?? 0, end: node.range.end } }
    }
    this.depth -= starts.length
    return node
  }

  private check(): Ast {
    const s = this.s
    s.skipBlanks()
    const start = s.pos
    if (s.atEnd()) throw s.error('unexpected end of condition, expected a check', { start, end: start })
    if (s.peek() === '(') {
      this.enter(start)
      s.pos++
      const inner = this.orExpr()
      s.skipBlanks()
      if (!s.eat(')')) {
        if (s.atEnd()) throw s.error("missing ')'", { start, end: start + 1 })
        throw s.error(`expected ')' or an operator, got '${tokenPreview(s.text, s.pos)}'`)
      }
      this.depth--
      // the group keeps the inner node; its range widens to the parentheses
      return { ...inner, range: { start, end: s.pos } }
    }
    const name = s.name()
    if (name === undefined)
      throw s.error(`expected a field, a macro or '(', got '${tokenPreview(s.text, start)}'`)
    if (name.text === 'and' || name.text === 'or' || name.text === 'not') {
      throw s.error(`unexpected '${name.text}'`, name.range)
    }
    let lhs: Operand
    if (!name.text.includes('.')) {
      if (s.peek() !== '(') return { kind: 'macro', name: name.text, range: name.range }
      lhs = this.transformer(name.text, name.range)
    } else {
      lhs = this.fieldRest(name.text, name.range)
    }
    return this.predicate(lhs, start)
  }

  private transformer(tname: string, nameRange: Range): Operand {
    const s = this.s
    if (!isTransformerName(tname)) {
      throw new FilterError('FLT_UNKNOWN_TRANSFORMER', `unknown transformer '${tname}'`, nameRange, s.text)
    }
    this.enter(nameRange.start)
    s.pos++ // (
    s.skipBlanks()
    const arg = this.operand()
    s.skipBlanks()
    if (!s.eat(')')) throw s.error(`expected ')' to close ${tname}(`)
    this.depth--
    return { kind: 'transformer', name: tname, arg, range: { start: nameRange.start, end: s.pos } }
  }

  /** field or transformer, e.g. inside a transformer call */
  private operand(): Operand {
    const s = this.s
    const name = s.name()
    if (name === undefined) throw s.error('expected a field name')
    if (!name.text.includes('.')) {
      if (s.peek() === '(') return this.transformer(name.text, name.range)
      throw new FilterError('FLT_UNKNOWN_FIELD', `'${name.text}' is not a field`, name.range, s.text)
    }
    return this.fieldRest(name.text, name.range)
  }

  private fieldRest(name: string, nameRange: Range): FieldRef {
    const s = this.s
    if (s.peek() !== '[') return { kind: 'field', name, range: nameRange }
    const argStart = s.pos
    s.pos++
    let value: string
    let quoted = false
    const c = s.peek()
    if (c === '"' || c === "'") {
      value = s.quoted().value
      quoted = true
    } else {
      const tok = s.fieldArgBare()
      if (tok === undefined) throw s.error(`bad argument for field ${name}`)
      value = tok.text
    }
    if (!s.eat(']')) throw s.error(`expected ']' after the argument of ${name}`)
    const argRange = { start: argStart, end: s.pos }
    return {
      kind: 'field',
      name,
      arg: { value, quoted, range: argRange },
      range: { start: nameRange.start, end: s.pos }
    }
  }

  private predicate(lhs: Operand, start: number): Ast {
    const s = this.s
    const hadBlank = s.skipBlanks()
    const opStart = s.pos
    let op: string
    const sym = s.symbolOp()
    if (sym !== undefined) {
      op = sym.text
    } else {
      const w = s.peekWord()
      if (w === undefined || !WORD_OPS.has(w)) {
        if (s.atEnd()) throw s.error('expected an operator after the field', { start: opStart, end: opStart })
        throw new FilterError(
          'FLT_BAD_OPERATOR',
          `unknown operator '${tokenPreview(s.text, opStart)}'`,
          { start: opStart, end: opStart + (w?.length ?? 1) },
          s.text
        )
      }
      if (!hadBlank)
        throw s.error(`expected a blank before '${w}'`, { start: opStart, end: opStart + w.length })
      op = w
      s.pos += w.length
      const next = s.pos
      const listOp = op === 'in' || op === 'intersects' || op === 'pmatch'
      if (next >= s.text.length && op !== 'exists') {
        throw s.error(`missing value after '${op}'`, { start: next, end: next })
      }
      const ok =
        next >= s.text.length
          ? op === 'exists'
          : s.blankAt(next) || (listOp && s.peek() === '(') || (op === 'exists' && s.peek() === ')')
      if (!ok) throw s.error(`expected a blank after '${op}'`, { start: opStart, end: next })
    }
    const opRange = { start: opStart, end: s.pos }
    if (op === 'exists') return { kind: 'unary', op: 'exists', lhs, opRange, range: { start, end: s.pos } }
    s.skipBlanks()
    const binop = op as BinaryOp
    let modifier: Modifier | undefined
    let rhs: Rhs
    if ((NUMERIC_OPS as readonly string[]).includes(op)) {
      rhs = this.rhsField() ?? this.numberValue(op)
    } else if ((LIST_OPS as readonly string[]).includes(op)) {
      rhs = this.rhsField() ?? (s.peek() === '(' ? this.list() : this.singleList())
    } else {
      modifier = this.modifier()
      if (modifier !== undefined) rhs = s.peek() === '(' ? this.list() : this.singleList()
      else rhs = this.rhsField() ?? this.value(op)
    }
    const node = {
      kind: 'binary' as const,
      op: binop,
      lhs,
      rhs,
      opRange,
      range: { start, end: rhs.range.end }
    }
    return modifier === undefined ? node : { ...node, modifier }
  }

  private modifier(): Modifier | undefined {
    const s = this.s
    const w = s.peekWord()
    if (w === undefined || !(MODIFIERS as readonly string[]).includes(w)) return undefined
    const save = s.pos
    s.pos += w.length
    s.skipBlanks()
    // a modifier only counts before "(" or a list name; otherwise the word is a plain value
    if (s.peek() === '(') return w as Modifier
    const nxt = s.peekWord()
    if (nxt !== undefined && nxt !== 'and' && nxt !== 'or' && nxt !== 'not' && /^[a-zA-Z]/.test(s.peek())) {
      return w as Modifier
    }
    s.pos = save
    return undefined
  }

  /** `val(field)` or `tname(operand)` at the current position, else undefined (nothing consumed). */
  private rhsField(): FieldRhs | undefined {
    const s = this.s
    const start = s.pos
    const save = s.pos
    const name = s.name()
    if (name === undefined || s.peek() !== '(' || name.text.includes('.')) {
      s.pos = save
      return undefined
    }
    if (name.text === 'val') {
      this.enter(start)
      s.pos++
      s.skipBlanks()
      const operand = this.operand()
      if (operand.kind !== 'field') {
        throw new FilterError('FLT_SYNTAX', 'val() takes a field', operand.range, s.text)
      }
      s.skipBlanks()
      if (!s.eat(')')) throw s.error("expected ')' to close val(")
      this.depth--
      return { kind: 'rhs-field', operand, val: true, range: { start, end: s.pos } }
    }
    if (!isTransformerName(name.text)) {
      s.pos = save
      return undefined
    }
    const operand = this.transformer(name.text, name.range)
    return { kind: 'rhs-field', operand, val: false, range: { start, end: s.pos } }
  }

  private numberValue(op: string): ValueNode {
    const s = this.s
    const start = s.pos
    const tok = s.number()
    if (tok === undefined) {
      throw s.error(`'${op}' needs a number, got '${tokenPreview(s.text, start)}'`, {
        start,
        end: start + Math.max(1, tokenPreview(s.text, start).length)
      })
    }
    return { kind: 'value', value: tok.text, quoted: false, range: tok.range }
  }

  private value(op: string): ValueNode {
    const s = this.s
    const c = s.peek()
    if (c === '"' || c === "'") {
      const q = s.quoted()
      return { kind: 'value', value: q.value, quoted: true, range: q.range }
    }
    const tok = s.bare()
    if (tok === undefined) {
      if (s.atEnd()) throw s.error(`missing value after '${op}'`, { start: s.pos, end: s.pos })
      throw s.error(`expected a value after '${op}', got '${s.peek()}'`)
    }
    return { kind: 'value', value: tok.text, quoted: false, range: tok.range }
  }

  /** `x in foo`: a single value standing for a one-item list */
  private singleList(): ListNode {
    const v = this.value('in')
    return { kind: 'list', items: [v], paren: false, range: v.range }
  }

  private list(): ListNode {
    const s = this.s
    const start = s.pos
    s.pos++ // (
    const items: ValueNode[] = []
    s.skipBlanks()
    if (s.eat(')')) return { kind: 'list', items, paren: true, range: { start, end: s.pos } }
    for (;;) {
      s.skipBlanks()
      const c = s.peek()
      if (c === ',' || c === ')') throw s.error('missing list item')
      if (s.atEnd()) throw s.error("unterminated list, missing ')'", { start, end: start + 1 })
      items.push(this.value('('))
      if (items.length > MAX_LIST_ITEMS) {
        throw new FilterError(
          'FLT_TOO_LARGE',
          `list longer than ${MAX_LIST_ITEMS} items`,
          { start, end: s.pos },
          s.text
        )
      }
      s.skipBlanks()
      if (s.eat(')')) break
      if (!s.eat(',')) {
        if (s.atEnd()) throw s.error("unterminated list, missing ')'", { start, end: start + 1 })
        throw s.error(`expected ',' or ')' in list, got '${tokenPreview(s.text, s.pos)}'`)
      }
    }
    return { kind: 'list', items, paren: true, range: { start, end: s.pos } }
  }
}

function lastEnd(nodes: Ast[]): number {
  return nodes[nodes.length - 1]?.range.end ?? 0
}

function tokenPreview(text: string, pos: number): string {
  const m = /^(?:[^\s()]{1,40}|.)/s.exec(text.slice(pos, pos + 40))
  return m === null ? '' : m[0]
}
