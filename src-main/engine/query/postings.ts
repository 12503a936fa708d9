/**
 * Posting lists (sorted event numbers per process, event type and fd name, written by the import) as the
 * access path of selective event queries: a filter that requires `evt.type` in a set, a process (`upid`, or
 * `proc.*` matching a few processes) or an fd name is answered by looking up only the candidate events.
 */
import type { Ast } from '../filter/ast'
import type { QueryDb } from './query-db'
import { setFieldIds } from './filter-sql'

const cache = new WeakMap<QueryDb, Map<string, Uint32Array>>()
/** above this many candidates a scan is as fast as lookups */
export const MAX_CANDIDATES = 300_000
/** process fields drive the query only when they select at most this many processes */
const MAX_PROCESSES = 500
/** fd.name checks drive the query when they select at most this many names */
const MAX_FDNAMES = 5000

export function postingList(q: QueryDb, kind: 'upid' | 'etype' | 'fdname', key: number): Uint32Array {
  let per = cache.get(q)
  if (per === undefined) {
    per = new Map<string, Uint32Array>()
    cache.set(q, per)
  }
  const k = `${kind}:${key}`
  let list = per.get(k)
  if (list === undefined) {
    const row = q.q('SELECT nums FROM event_postings WHERE kind = ? AND key = ?').get(kind, key) as
      { nums: Buffer } | undefined
    list =
      row === undefined
        ? new Uint32Array(0)
        : new Uint32Array(
            row.nums.buffer.slice(row.nums.byteOffset, row.nums.byteOffset + row.nums.byteLength)
          )
    per.set(k, list)
  }
  return list
}

export function union(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 1) return lists[0] ?? new Uint32Array(0)
  let n = 0
  for (const l of lists) n += l.length
  const out = new Uint32Array(n)
  let o = 0
  for (const l of lists) {
    out.set(l, o)
    o += l.length
  }
  return out.sort()
}

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length))
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0
    const y = b[j] ?? 0
    if (x === y) {
      out[n++] = x
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return out.subarray(0, n)
}

/** The conjuncts of a condition (the whole condition when it is not an `and`). */
function conjuncts(ast: Ast): Ast[] {
  if (ast.kind === 'and') return ast.children.flatMap(conjuncts)
  if (ast.kind === 'macro' && ast.body !== undefined) return conjuncts(ast.body)
  return [ast]
}

/**
 * Candidate event numbers implied by the filter's required `evt.type` / process checks and by `upid`, or
 * null when nothing selective is required (or too many candidates remain).
 */
export function candidates(q: QueryDb, ast: Ast | null, upid: number | null): Uint32Array | null {
  const drivers: Uint32Array[] = []
  if (upid !== null) drivers.push(postingList(q, 'upid', upid))
  for (const c of ast === null ? [] : conjuncts(ast)) {
    const s = setFieldIds(q, c)
    if (s === null) continue
    if (s.column === 'e.etype') drivers.push(union(s.ids.map((id) => postingList(q, 'etype', id))))
    else if (s.column === 'e.upid' && s.ids.length <= MAX_PROCESSES)
      drivers.push(union(s.ids.map((id) => postingList(q, 'upid', id))))
    else if (s.column === 'e.fdname' && s.ids.length <= MAX_FDNAMES)
      drivers.push(union(s.ids.map((id) => postingList(q, 'fdname', id))))
  }
  if (drivers.length === 0) return null
  drivers.sort((a, b) => a.length - b.length)
  let cur = drivers[0] ?? new Uint32Array(0)
  for (const d of drivers.slice(1)) cur = intersect(cur, d)
  return cur.length > MAX_CANDIDATES ? null : cur
}
