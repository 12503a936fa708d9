/**
 * Static evt.type inference (FALCO_RULES.md §3.1): the set of event codes on which a rule's condition can be
 * true. `evt.type =/==/in` leaves give their names' codes, `!=` the complement; `evt.num` leaves with a decided
 * result give all or nothing; every other leaf is neutral (all codes, and negation does not flip it). `and`
 * intersects, `or` unites, `not` is pushed to the leaves. A name maps to every code carrying it (enter and
 * exit, all versions); a syscall name without a dedicated event maps to the generic syscall event.
 */
import type { Ast, BinaryCheck } from '../filter/ast'
import { EVENT_TABLE } from '../capture/schema/event-table.generated'
import { PPM_SC_NAMES } from '../capture/schema/ppm-sc.generated'

export const EVENT_CODE_COUNT = EVENT_TABLE.length

/** A set of event codes as a bitmap (one byte per code, for speed of intersection/union). */
export type CodeSet = Uint8Array

const byName = new Map<string, number[]>()
for (const e of EVENT_TABLE) {
  const l = byName.get(e.name)
  if (l === undefined) byName.set(e.name, [e.code])
  else l.push(e.code)
}
const GENERIC_CODES = byName.get('syscall') ?? [0, 1]
const SYSCALL_NAMES = new Set(PPM_SC_NAMES)

const withGeneric = new Map<string, number[]>()

/**
 * Codes for an evt.type value, or undefined for an unknown name. A syscall name also maps to the generic
 * syscall event even when it has dedicated events today: older drivers recorded many syscalls (init_module,
 * dup2, prctl, …) as generic events, whose evt.type is the syscall's name. The set only decides which rules
 * an event is offered to; the condition still checks evt.type, so a larger set is never wrong.
 */
export function codesForName(name: string): readonly number[] | undefined {
  const direct = byName.get(name)
  const syscall = SYSCALL_NAMES.has(name) && name !== 'unknown'
  if (direct === undefined) return syscall ? GENERIC_CODES : undefined
  if (!syscall) return direct
  let both = withGeneric.get(name)
  if (both === undefined) {
    both = [...new Set([...direct, ...GENERIC_CODES])]
    withGeneric.set(name, both)
  }
  return both
}

export function allCodes(): CodeSet {
  return new Uint8Array(EVENT_CODE_COUNT).fill(1)
}

export function noCodes(): CodeSet {
  return new Uint8Array(EVENT_CODE_COUNT)
}

export function countCodes(s: CodeSet): number {
  let n = 0
  for (const b of s) n += b
  return n
}

export function isAll(s: CodeSet): boolean {
  return countCodes(s) === EVENT_CODE_COUNT
}

/** Distinct event names of a set (for `rules list`), sorted; 'all' when unrestricted. */
export function codeSetNames(s: CodeSet): string[] {
  if (isAll(s)) return ['all']
  const names = new Set<string>()
  for (let i = 0; i < s.length; i++) if (s[i] === 1) names.add(EVENT_TABLE[i]?.name ?? String(i))
  // the generic event rides along with every syscall name (see codesForName): not worth showing
  if (names.size > 1) names.delete('syscall')
  return [...names].sort()
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type ${eventType}`)
  }
}

function leafValues(c: BinaryCheck): string[] | undefined {
  const r = c.rhs
  if (r.kind === 'value') return [r.value]
  if (r.kind === 'list') return r.items.map((v) => v.value)
  return undefined
}

/** Decided value of an `evt.num` leaf, or undefined when it depends on the event. */
function evtNumLeaf(c: BinaryCheck): boolean | undefined {
  const vals = leafValues(c)
  if (vals === undefined) return undefined
  const nums = vals.map((v) => Number(v))
  if (nums.some((n) => !Number.isFinite(n))) return undefined
  const v = nums[0]
  switch (c.op) {
    case '=':
    case '==':
      return v === 0 ? false : undefined
    case 'in':
      return nums.every((n) => n === 0) ? false : undefined
    case '<':
      return v !== undefined && v <= 1 ? false : undefined
    case '<=':
      return v !== undefined && v <= 0 ? false : undefined
    case '!=':
      return v === 0 ? true : undefined
    case '>':
      return v === 0 ? true : undefined
    case '>=':
      return v !== undefined && v <= 1 ? true : undefined
    default:
      return undefined
  }
}

function namesToSet(names: readonly string[]): CodeSet {
  const s = noCodes()
  for (const n of names) {
    const codes = codesForName(n)
    if (codes === undefined) throw new UnknownEventTypeError(n)
    for (const c of codes) s[c] = 1
  }
  return s
}

function complement(s: CodeSet): CodeSet {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s[i] === 1 ? 0 : 1
  return out
}

function combine(sets: CodeSet[], union: boolean): CodeSet {
  const out = union ? noCodes() : allCodes()
  for (const s of sets)
    for (let i = 0; i < out.length; i++)
      out[i] = union ? (out[i] ?? 0) | (s[i] ?? 0) : (out[i] ?? 0) & (s[i] ?? 0)
  return out
}

/** Validates every evt.type value (unknown name ⇒ UnknownEventTypeError) and returns the code set. */
export function inferEventCodes(ast: Ast): CodeSet {
  const visit = (n: Ast, inverted: boolean): CodeSet => {
    switch (n.kind) {
      case 'and':
        return combine(
          n.children.map((c) => visit(c, inverted)),
          inverted
        )
      case 'or':
        return combine(
          n.children.map((c) => visit(c, inverted)),
          !inverted
        )
      case 'not':
        return visit(n.child, !inverted)
      case 'macro':
        return n.body === undefined ? allCodes() : visit(n.body, inverted)
      case 'unary':
        return allCodes()
      case 'binary': {
        const lhs = n.lhs
        if (lhs.kind !== 'field' || lhs.arg !== undefined) return allCodes()
        if (lhs.name === 'evt.type' || lhs.name === 'syscall.type') {
          const vals = leafValues(n)
          if (vals === undefined) return allCodes()
          if (n.op === '=' || n.op === '==' || n.op === 'in' || n.op === 'intersects') {
            const s = namesToSet(vals)
            return inverted ? complement(s) : s
          }
          if (n.op === '!=') {
            const s = namesToSet(vals.slice(0, 1))
            return inverted ? s : complement(s)
          }
          return allCodes()
        }
        if (lhs.name === 'evt.num') {
          const v = evtNumLeaf(n)
          if (v === undefined) return allCodes()
          return v !== inverted ? allCodes() : noCodes()
        }
        return allCodes()
      }
    }
  }
  return visit(ast, false)
}
