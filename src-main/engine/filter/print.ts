// Renders an AST back into one condition string that our parser (and sysdig 0.29.3, for the constructs it
// knows) accepts: `parseCondition(printCondition(ast))` gives the same tree, ranges aside. Expanded macros
// print as their parenthesised body.
import type { Ast, FieldRef, ListNode, Operand, Rhs, ValueNode } from './ast'
import { MODIFIERS } from './ast'

const BARE_OK = /^[^()"'\s=,\\\b]+$/
const FIELD_ARG_OK = /^[^\]["'\s\b\\]+$/

export function printCondition(ast: Ast): string {
  switch (ast.kind) {
    case 'or':
      // sysdig 0.29.3 refuses and/or mixed without parentheses, so an `and` inside an `or` gets them too
      return ast.children
        .map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printCondition(c)})` : printCondition(c)))
        .join(' or ')
    case 'and':
      return ast.children
        .map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printCondition(c)})` : printCondition(c)))
        .join(' and ')
    case 'not': {
      const c = ast.child
      return c.kind === 'or' || c.kind === 'and' ? `not (${printCondition(c)})` : `not ${printCondition(c)}`
    }
    case 'macro':
      return ast.body === undefined ? ast.name : `(${printCondition(ast.body)})`
    case 'unary':
      return `${printOperand(ast.lhs)} exists`
    case 'binary': {
      const mod = ast.modifier === undefined ? '' : ` ${ast.modifier}`
      return `${printOperand(ast.lhs)} ${ast.op}${mod} ${printRhs(ast.rhs)}`
    }
  }
}

export function printOperand(o: Operand): string {
  return o.kind === 'field' ? printField(o) : `${o.name}(${printOperand(o.arg)})`
}

export function printField(f: FieldRef): string {
  if (f.arg === undefined) return f.name
  const a = f.arg.value
  return `${f.name}[${FIELD_ARG_OK.test(a) ? a : quote(a)}]`
}

function printRhs(r: Rhs): string {
  switch (r.kind) {
    case 'value':
      return printValue(r)
    case 'list':
      return printList(r)
    case 'rhs-field':
      return r.val ? `val(${printOperand(r.operand)})` : printOperand(r.operand)
  }
}

function printList(l: ListNode): string {
  return `(${l.items.map(printValue).join(', ')})`
}

/** Bare when the value is a single bare token that cannot be mistaken for syntax, else double-quoted. */
export function printValue(v: ValueNode): string {
  const s = v.value
  if (BARE_OK.test(s) && !(MODIFIERS as readonly string[]).includes(s)) return s
  return quote(s)
}

/** Double-quoted with escapes our lexer (libs' escape set) decodes back to `s`. */
export function quote(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i)
    const code = s.charCodeAt(i)
    if (c === '"') out += '\\"'
    else if (c === '\\') {
      // a backslash right before the closing quote would hide it from the terminator scan
      out += i === s.length - 1 ? '\\x5c' : '\\\\'
    } else if (c === '\n') out += '\\n'
    else if (c === '\r') out += '\\r'
    else if (c === '\t') out += '\\t'
    else if (c === '\b') out += '\\b'
    else if (c === '\f') out += '\\f'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += c
  }
  return out + '"'
}
