/**
 * Reads a rules file as Falco does with yaml-cpp: every scalar stays a string (js-yaml FAILSAFE schema, so
 * list items such as `true`, `yes` or `8080` are not coerced), several documents per file, and every node
 * keeps its source position so diagnostics can point at the item and key they are about.
 *
 * Positions come from js-yaml's `listener` hook: it reports an `open` and a `close` for every node it composes,
 * nested like the document, so a stack rebuilds a position tree that mirrors the parsed value.
 */
import { FAILSAFE_SCHEMA, Type, YAMLException, loadAll } from 'js-yaml'
import type { EventType, State } from 'js-yaml'

/** 1-based line and column, plus the byte offset into the text. */
export interface SourcePos {
  offset: number
  line: number
  col: number
}

export type YNode = YScalar | YSeq | YMap | YNull

export interface YScalar {
  kind: 'scalar'
  value: string
  pos: SourcePos
}
export interface YSeq {
  kind: 'seq'
  items: YNode[]
  pos: SourcePos
}
export interface YMapEntry {
  key: string
  keyPos: SourcePos
  value: YNode
}
export interface YMap {
  kind: 'map'
  entries: YMapEntry[]
  pos: SourcePos
}
export interface YNull {
  kind: 'null'
  pos: SourcePos
}

export interface YamlDocument {
  root: YNode
}

export interface YamlReadResult {
  docs: YamlDocument[]
  /** Set when the text is not valid YAML; `docs` is then empty. */
  error?: { message: string; pos: SourcePos }
  lineStarts: number[]
}

/**
 * yaml-cpp keeps unknown local tags and still yields the plain value (Falco's own test file has
 * `desc: != after evt.type`, where `!=` lexes as a tag); js-yaml would reject them. Accept any `!…` tag.
 */
const ANY_LOCAL_TAG = [
  new Type('!', { kind: 'scalar', multi: true, construct: (d: unknown) => (typeof d === 'string' ? d : '') }),
  new Type('!', {
    kind: 'sequence',
    multi: true,
    construct: (d: unknown): unknown[] => (Array.isArray(d) ? (d as unknown[]) : [])
  }),
  new Type('!', {
    kind: 'mapping',
    multi: true,
    construct: (d: unknown) => (typeof d === 'object' && d !== null ? d : {})
  })
]
const SCHEMA = FAILSAFE_SCHEMA.extend(ANY_LOCAL_TAG)

interface PosNode {
  offset: number
  kids: PosNode[]
}

export function lineStartsOf(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return starts
}

export function posAt(lineStarts: readonly number[], text: string, offset: number): SourcePos {
  // js-yaml reports the offset before the separating blanks of a value; skip them to point at the value.
  let o = Math.max(0, Math.min(offset, text.length))
  while (o < text.length) {
    const c = text.charCodeAt(o)
    if (c === 32 || c === 9 || c === 10 || c === 13) o++
    else break
  }
  let lo = 0
  let hi = lineStarts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((lineStarts[mid] ?? 0) <= o) lo = mid
    else hi = mid - 1
  }
  return { offset: o, line: lo + 1, col: o - (lineStarts[lo] ?? 0) + 1 }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Most YAML nodes one file may expand to (aliases are shared by js-yaml but expanded here). */
export const MAX_YAML_NODES = 2_000_000

class TooLarge extends Error {}

function build(
  value: unknown,
  pn: PosNode | undefined,
  fallback: number,
  ls: number[],
  text: string,
  budget: { n: number }
): YNode {
  if (--budget.n < 0) throw new TooLarge()
  const pos = posAt(ls, text, pn?.offset ?? fallback)
  if (typeof value === 'string') return { kind: 'scalar', value, pos }
  if (Array.isArray(value)) {
    const kids = pn !== undefined && pn.kids.length === value.length ? pn.kids : undefined
    const items = value.map((v: unknown, i) => build(v, kids?.[i], pos.offset, ls, text, budget))
    return { kind: 'seq', items, pos }
  }
  if (isRecord(value)) {
    const keys = Object.keys(value)
    const kids = pn !== undefined && pn.kids.length === keys.length * 2 ? pn.kids : undefined
    const entries = keys.map((k, i) => {
      const kp = kids?.[2 * i]
      const vp = kids?.[2 * i + 1]
      return {
        key: k,
        keyPos: posAt(ls, text, kp?.offset ?? pos.offset),
        value: build(value[k], vp, pos.offset, ls, text, budget)
      }
    })
    return { kind: 'map', entries, pos }
  }
  return { kind: 'null', pos }
}

export function readYaml(text: string): YamlReadResult {
  const lineStarts = lineStartsOf(text)
  const stack: PosNode[] = []
  const roots: PosNode[] = []
  const values: unknown[] = []
  try {
    loadAll(
      text,
      (doc: unknown) => {
        values.push(doc)
      },
      {
        schema: SCHEMA,
        listener(this: State, ev: EventType, st: State) {
          if (ev === 'open') stack.push({ offset: st.position, kids: [] })
          else if (ev === 'close') {
            const n = stack.pop()
            if (n === undefined) return
            const parent = stack[stack.length - 1]
            if (parent !== undefined) parent.kids.push(n)
            else roots.push(n)
          }
        }
      }
    )
  } catch (e: unknown) {
    if (e instanceof YAMLException) {
      const mark = (e as YAMLException & { mark?: { position?: number } }).mark
      return {
        docs: [],
        lineStarts,
        error: { message: e.reason, pos: posAt(lineStarts, text, mark?.position ?? 0) }
      }
    }
    // e.g. RangeError from nesting deeper than the stack: hostile input is a parse error, never a crash
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    return {
      docs: [],
      lineStarts,
      error: { message: `cannot parse: ${message}`, pos: posAt(lineStarts, text, 0) }
    }
  }
  // Each document produces one root node in the listener stream (empty documents produce one too).
  const budget = { n: MAX_YAML_NODES }
  try {
    const docs = values.map((v, i) => ({
      root: build(v, roots.length === values.length ? roots[i] : undefined, 0, lineStarts, text, budget)
    }))
    return { docs, lineStarts }
  } catch (e: unknown) {
    if (!(e instanceof TooLarge) && !(e instanceof RangeError)) throw e
    const message =
      e instanceof TooLarge
        ? `the document expands to more than ${String(MAX_YAML_NODES)} nodes (aliases)`
        : 'the document is nested too deeply'
    return { docs: [], lineStarts, error: { message, pos: posAt(lineStarts, text, 0) } }
  }
}

/** The source line holding `pos` and a caret under its column, as `falco -V` shows excerpts. */
export function excerptAt(text: string, lineStarts: readonly number[], pos: SourcePos): string {
  const start = lineStarts[pos.line - 1] ?? 0
  let end = text.indexOf('\n', start)
  if (end < 0) end = text.length
  const line = text.slice(start, end).replace(/\r$/, '')
  return `${line}\n${' '.repeat(Math.max(0, pos.col - 1))}^`
}
