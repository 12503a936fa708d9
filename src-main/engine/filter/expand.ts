// Resolution of macro references and list names, for the rules loader.
//
// Falco substitutes lists *textually* before parsing (FALCO_RULES.md §2.5) — `substituteLists` does exactly
// that. `expandLists` is the AST-level alternative (list names among the items of `in (...)`-style lists),
// and `expandMacros` splices each macro's parsed body into `macro` nodes (§2.6), detecting undefined
// macros and reference loops.
import type { Ast, ListNode, Rhs, ValueNode } from './ast'
import { FilterError } from './errors'

/** Most nodes an expanded condition may hold (guards against macro "billion laughs"). */
export const MAX_EXPANDED_NODES = 2_000_000
/** Deepest expanded tree (keeps every recursive consumer — compiler, printer, rules — within the stack). */
export const MAX_EXPANDED_DEPTH = 2500

export interface MacroDef {
  /** parsed condition of the macro (lists already substituted) */
  ast: Ast
  /** the text `ast`'s ranges point into */
  source: string
}

export interface ExpandOptions {
  /** leave unknown identifiers as unexpanded macro nodes instead of failing */
  allowUndefined?: boolean
}

/**
 * Returns a copy of `ast` whose macro nodes carry their expanded bodies. `lookup` gives the macro visible
 * from the condition being expanded (the caller applies Falco's visibility rules); it is consulted once per
 * name. `text` is the condition text `ast` was parsed from (for error excerpts).
 */
export function expandMacros(
  ast: Ast,
  text: string,
  lookup: (name: string) => MacroDef | undefined,
  options: ExpandOptions = {}
): Ast {
  const done = new Map<string, { body: Ast; source: string; size: number; height: number }>()
  const active: string[] = []
  let budget = MAX_EXPANDED_NODES

  type Walked = { node: Ast; size: number; height: number }
  const tooDeep = (node: Ast, src: string, macro: string | undefined): FilterError =>
    new FilterError(
      'FLT_TOO_DEEP',
      `condition nests deeper than ${MAX_EXPANDED_DEPTH} levels once macros are expanded`,
      node.range,
      src,
      macro
    )

  const walk = (node: Ast, src: string, macro: string | undefined, depth: number): Walked => {
    if (depth > MAX_EXPANDED_DEPTH) throw tooDeep(node, src, macro)
    switch (node.kind) {
      case 'and':
      case 'or': {
        let size = 1
        let height = 0
        const children = node.children.map((c) => {
          const r = walk(c, src, macro, depth + 1)
          size += r.size
          height = Math.max(height, r.height)
          return r.node
        })
        return { node: { ...node, children }, size, height: height + 1 }
      }
      case 'not': {
        const r = walk(node.child, src, macro, depth + 1)
        return { node: { ...node, child: r.node }, size: r.size + 1, height: r.height + 1 }
      }
      case 'unary':
      case 'binary':
        return { node, size: 1, height: 1 }
      case 'macro': {
        const name = node.name
        const cached = done.get(name)
        if (cached !== undefined) {
          budget -= cached.size
          if (budget < 0) throw tooLarge(node, src, macro)
          if (depth + cached.height > MAX_EXPANDED_DEPTH) throw tooDeep(node, src, macro)
          return {
            node: { ...node, body: cached.body, source: cached.source },
            size: cached.size + 1,
            height: cached.height + 1
          }
        }
        if (active.includes(name)) {
          throw new FilterError(
            'FLT_MACRO_LOOP',
            `reference loop in macro '${name}' (${[...active, name].join(' → ')})`,
            node.range,
            src,
            macro
          )
        }
        const def = lookup(name)
        if (def === undefined) {
          if (options.allowUndefined === true) return { node, size: 1, height: 1 }
          throw new FilterError('FLT_UNDEFINED_MACRO', `undefined macro '${name}'`, node.range, src, macro)
        }
        active.push(name)
        const r = walk(def.ast, def.source, name, depth + 1)
        active.pop()
        done.set(name, { body: r.node, source: def.source, size: r.size, height: r.height })
        budget -= r.size
        if (budget < 0) throw tooLarge(node, src, macro)
        return { node: { ...node, body: r.node, source: def.source }, size: r.size + 1, height: r.height + 1 }
      }
    }
  }
  return walk(ast, text, undefined, 0).node
}

function tooLarge(node: Ast, src: string, macro: string | undefined): FilterError {
  return new FilterError(
    'FLT_TOO_LARGE',
    `condition expands to more than ${MAX_EXPANDED_NODES} nodes`,
    node.range,
    src,
    macro
  )
}

/**
 * AST-level list expansion: every unquoted item of a list operand (and the single value of `x in name`)
 * that names a list is replaced by that list's items, recursively (lists inside lists), with loop
 * protection. Items of the resolved lists are taken as values verbatim (a quoted YAML item such as
 * `'"a b"'` is unquoted here).
 */
export function expandLists(ast: Ast, lookup: (name: string) => readonly string[] | undefined): Ast {
  const expandItems = (items: ValueNode[]): ValueNode[] => {
    const out: ValueNode[] = []
    const visit = (v: ValueNode, stack: string[]): void => {
      const items2 = v.quoted || stack.includes(v.value) ? undefined : lookup(v.value)
      if (items2 === undefined) {
        out.push(v)
        return
      }
      for (const raw of items2) {
        const { value, quoted } = unquoteItem(raw)
        visit({ kind: 'value', value, quoted, range: v.range }, [...stack, v.value])
      }
    }
    for (const v of items) visit(v, [])
    return out
  }
  const rhs = (r: Rhs): Rhs =>
    r.kind === 'list' ? ({ ...r, items: expandItems(r.items) } satisfies ListNode) : r
  const walk = (node: Ast): Ast => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { ...node, children: node.children.map(walk) }
      case 'not':
        return { ...node, child: walk(node.child) }
      case 'macro':
        return node.body === undefined ? node : { ...node, body: walk(node.body) }
      case 'unary':
        return node
      case 'binary':
        return { ...node, rhs: rhs(node.rhs) }
    }
  }
  return walk(ast)
}

function unquoteItem(raw: string): { value: string; quoted: boolean } {
  if (raw.length >= 2) {
    const q = raw.charAt(0)
    if ((q === '"' || q === "'") && raw.charAt(raw.length - 1) === q)
      return { value: raw.slice(1, -1), quoted: true }
  }
  return { value: raw, quoted: false }
}

const DELIM = ' \t\n\r(),='

/**
 * Falco's textual list substitution (§2.5): for each list, in the map's order, every occurrence of its
 * name delimited by start/end of text or one of ` \t\n\r(),=` is replaced by its items joined with ", "
 * (items containing a space are double-quoted unless already quoted). An empty list also removes one
 * adjacent comma.
 */
export function substituteLists(text: string, lists: ReadonlyMap<string, readonly string[]>): string {
  let cur = text
  for (const [name, items] of lists) {
    if (name.length === 0 || !cur.includes(name)) continue
    const repl = items
      .map((it) => (it.includes(' ') && !it.startsWith('"') && !it.startsWith("'") ? `"${it}"` : it))
      .join(', ')
    let out = ''
    let i = 0
    for (;;) {
      const at = cur.indexOf(name, i)
      if (at < 0) break
      const before = at === 0 ? '' : cur.charAt(at - 1)
      const after = cur.charAt(at + name.length)
      if ((at === 0 || DELIM.includes(before)) && (after === '' || DELIM.includes(after))) {
        let pre = cur.slice(i, at)
        let skip = at + name.length
        if (items.length === 0) {
          // drop one adjacent comma so `(a, empty, b)` stays well formed
          const m = /^\s*,\s*/.exec(cur.slice(skip))
          if (m !== null) skip += m[0].length
          else pre = pre.replace(/,\s*$/, '')
        }
        out += pre + repl
        i = skip
      } else {
        out += cur.slice(i, at + name.length)
        i = at + name.length
      }
    }
    cur = out + cur.slice(i)
  }
  return cur
}
