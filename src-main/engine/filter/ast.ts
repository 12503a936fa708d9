// Syntax tree of a Falco/sysdig filter condition. Every node carries its source range [start, end) into the
// condition text it was parsed from; nodes spliced in by macro expansion keep ranges into the macro's text
// (the enclosing `macro` node says which macro).

export interface Range {
  start: number
  end: number
}

export type Ast = AndNode | OrNode | NotNode | MacroNode | CheckNode

/** n-ary, left to right, short-circuit */
export interface AndNode {
  kind: 'and'
  children: Ast[]
  range: Range
}

export interface OrNode {
  kind: 'or'
  children: Ast[]
  range: Range
}

export interface NotNode {
  kind: 'not'
  child: Ast
  range: Range
}

/**
 * A bare identifier (no dot): a macro reference. `body` is filled in by `expandMacros`; `source` is the
 * condition text the body's ranges point into.
 */
export interface MacroNode {
  kind: 'macro'
  name: string
  range: Range
  body?: Ast
  source?: string
}

export type CheckNode = UnaryCheck | BinaryCheck

export interface UnaryCheck {
  kind: 'unary'
  op: 'exists'
  lhs: Operand
  opRange: Range
  range: Range
}

export interface BinaryCheck {
  kind: 'binary'
  op: BinaryOp
  /** `oneof|anyof|allof` after a string operator (libs ≥ 0.24); the rhs is then a list */
  modifier?: Modifier
  lhs: Operand
  rhs: Rhs
  opRange: Range
  range: Range
}

export const NUMERIC_OPS = ['<', '<=', '>', '>='] as const
export const STRING_OPS = [
  '=',
  '==',
  '!=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'regex'
] as const
export const LIST_OPS = ['in', 'intersects', 'pmatch'] as const
export const MODIFIERS = ['oneof', 'anyof', 'allof'] as const
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const

export type NumericOp = (typeof NUMERIC_OPS)[number]
export type StringOp = (typeof STRING_OPS)[number]
export type ListOp = (typeof LIST_OPS)[number]
export type BinaryOp = NumericOp | StringOp | ListOp
export type Modifier = (typeof MODIFIERS)[number]
export type TransformerName = (typeof TRANSFORMERS)[number]

/** A field as written: `proc.name`, `proc.aname[2]`, `evt.arg.flags`, `proc.env["HOME"]`. */
export interface FieldRef {
  kind: 'field'
  name: string
  /** the bracket argument, unescaped; undefined when there are no brackets */
  arg?: FieldArg
  range: Range
}

export interface FieldArg {
  value: string
  quoted: boolean
  range: Range
}

/** `tolower(proc.name)`, nested transformers allowed */
export interface TransformerRef {
  kind: 'transformer'
  name: TransformerName
  arg: Operand
  range: Range
}

/** Something that yields a value from the event. */
export type Operand = FieldRef | TransformerRef

/** A constant as written: bare word, or quoted string (value is unescaped). */
export interface ValueNode {
  kind: 'value'
  value: string
  quoted: boolean
  range: Range
}

/** `( v1, v2, … )`; `paren` false for the single-value form `x in foo`. */
export interface ListNode {
  kind: 'list'
  items: ValueNode[]
  paren: boolean
  range: Range
}

/** Right-hand side field: `val(f)` (field) or a transformer. */
export interface FieldRhs {
  kind: 'rhs-field'
  operand: Operand
  /** true when written `val(...)` */
  val: boolean
  range: Range
}

export type Rhs = ValueNode | ListNode | FieldRhs

export function isTransformerName(s: string): s is TransformerName {
  return (TRANSFORMERS as readonly string[]).includes(s)
}

/** Base field of an operand (through transformers). */
export function operandField(o: Operand): FieldRef {
  let cur: Operand = o
  while (cur.kind === 'transformer') cur = cur.arg
  return cur
}
