/**
 * Read model: a page of events for a filter (sysdig/Falco syntax), a window and/or a process, with offset or
 * cursor (`after` = last evt.num seen) paging, and the events around a given one. Only events sysdig prints
 * are listed (internal process-info/container events are hidden). The filter is compiled to SQL when every
 * field it uses is indexed (filter-sql.ts); otherwise it is evaluated by the real field extractors over the
 * capture (filter-scan.ts), once per filter text.
 */
import type { EventRow, EventsAround, EventsPage, FilterProblem, TimeWindow } from '../../common/model/types'
import { FilterError } from '../filter/errors'
import { parseCondition } from '../filter/parser'
import type { Ast } from '../filter/ast'
import type { QueryDb } from './query-db'
import { compileFilterSql, setFieldIds } from './filter-sql'
import { EVENT_COLS, EventRowBuilder, type EventDbRow } from './event-rows'
import { compileWithRegistry, scanFilterMatches } from './filter-scan'
import { candidates } from './postings'

export interface EventsArgs {
  filter?: string
  window?: TimeWindow | null
  upid?: number | null
  offset?: number
  limit?: number
  /** cursor: only events with evt.num greater than this */
  after?: number | null
  /** skip the exact total (faster) */
  noTotal?: boolean
}

export interface EventsPageWithCursor {
  page: EventsPage
  /** evt.num to pass as `after` for the next page, null at the end */
  next: number | null
  /** how the filter was evaluated */
  evaluation: 'none' | 'sql' | 'scan'
}

export function problemOf(e: unknown): FilterProblem {
  if (e instanceof FilterError)
    return { code: e.code, message: e.message, start: e.range.start, end: e.range.end }
  return { code: 'error', message: e instanceof Error ? e.message : String(e), start: 0, end: 0 }
}

/** Parses a filter; null for an empty one. */
export function parseFilter(text: string): Ast | null {
  return text.trim() === '' ? null : parseCondition(text)
}

interface Where {
  /** the total when the posting lists alone give it (a lone evt.type check), else null */
  exactTotal: number | null
  sql: string
  params: (string | number)[]
  evaluation: EventsPageWithCursor['evaluation']
  /** posting-list candidates, and the other conditions without them */
  cand: Uint32Array | null
  rest: { sql: string; params: (string | number)[] } | null
}

async function buildWhere(q: QueryDb, args: EventsArgs, ast: Ast | null, filterText: string): Promise<Where> {
  const parts = ['e.hidden = 0']
  const params: (string | number)[] = []
  let evaluation: Where['evaluation'] = 'none'
  if (args.window !== null && args.window !== undefined) {
    const { from, to } = q.window(args.window)
    const r = q.numRangeSql(from, to)
    parts.push(`${r.sql} AND e.ts >= ? AND e.ts < ?`)
    params.push(...r.params, from, to)
  }
  if (args.upid !== null && args.upid !== undefined) {
    parts.push('e.upid = ?')
    params.push(args.upid)
  }
  const cand = candidates(q, ast, args.upid ?? null)
  const candAt = parts.length
  if (cand !== null) {
    // the events the filter can match at all, from the posting lists: looked up, not scanned
    parts.push('e.num IN (SELECT value FROM json_each(?))')
    params.push(JSON.stringify(Array.from(cand)))
  }
  const candParamAt = params.length - 1
  if (ast !== null) {
    const sql = compileFilterSql(q, ast)
    if (sql !== null) {
      parts.push(sql.where)
      params.push(...sql.params)
      evaluation = 'sql'
    } else {
      const nums = await scanFilterMatches(q, ast, filterText)
      parts.push('e.num IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(nums))
      evaluation = 'scan'
    }
  }
  // a lone evt.type check over the whole capture: its candidates are exactly its events
  let exactTotal: number | null = null
  if (cand !== null && ast !== null && parts.length === 3 && isTypeCheck(ast)) {
    const hidden = q.hiddenByType()
    exactTotal = cand.length
    for (const id of typeIdsOf(q, ast)) exactTotal -= hidden.get(id) ?? 0
  }
  const rest =
    cand === null
      ? null
      : {
          sql: parts.filter((_, i) => i !== candAt).join(' AND '),
          params: params.filter((_, i) => i !== candParamAt)
        }
  return { exactTotal, sql: parts.join(' AND '), params, evaluation, cand, rest }
}

/** First index in a sorted list whose value is greater than x. */
function upperBound(a: Uint32Array, x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((a[mid] ?? 0) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A page from posting-list candidates: looks up growing slices of the candidates (in event order) until the
 * page is full, instead of handing SQLite all of them.
 */
function pageFromCandidates(
  q: QueryDb,
  cand: Uint32Array,
  rest: { sql: string; params: (string | number)[] },
  after: number | null,
  offset: number,
  limit: number
): EventDbRow[] {
  const want = offset + limit + 1
  const out: EventDbRow[] = []
  let start = after === null ? 0 : upperBound(cand, after)
  let size = Math.max(256, 2 * want)
  const stmt = q.q(
    `SELECT ${EVENT_COLS} FROM events e WHERE e.num IN (SELECT value FROM json_each(?)) AND ${rest.sql} ORDER BY e.num`
  )
  while (start < cand.length && out.length < want) {
    const slice = cand.subarray(start, start + size)
    for (const r of stmt.all(JSON.stringify(Array.from(slice)), ...rest.params) as EventDbRow[]) out.push(r)
    start += size
    size = Math.min(size * 4, 65536)
  }
  return out.slice(offset, want)
}

function isTypeCheck(ast: Ast): boolean {
  return (
    (ast.kind === 'binary' || ast.kind === 'unary') && ast.lhs.kind === 'field' && ast.lhs.name === 'evt.type'
  )
}

function typeIdsOf(q: QueryDb, ast: Ast): number[] {
  return setFieldIds(q, ast)?.ids ?? []
}

export async function eventsPage(q: QueryDb, args: EventsArgs = {}): Promise<EventsPageWithCursor> {
  const limit = Math.max(1, Math.min(5000, args.limit ?? 100))
  const offset = Math.max(0, args.offset ?? 0)
  const text = args.filter ?? ''
  let ast: Ast | null
  let where: Where
  try {
    ast = parseFilter(text)
    where = await buildWhere(q, args, ast, text)
  } catch (e) {
    return { page: { ok: false, error: problemOf(e) }, next: null, evaluation: 'none' }
  }
  const after = args.after ?? null
  const cursorSql = after === null ? '' : ' AND e.num > ?'
  const params = after === null ? where.params : [...where.params, after]
  const rows =
    where.cand !== null && where.rest !== null
      ? pageFromCandidates(q, where.cand, where.rest, after, offset, limit)
      : (q
          .q(
            `SELECT ${EVENT_COLS} FROM events e WHERE ${where.sql}${cursorSql} ORDER BY e.num LIMIT ? OFFSET ?`
          )
          .all(...params, limit + 1, offset) as EventDbRow[])
  const more = rows.length > limit
  if (more) rows.length = limit
  const b = new EventRowBuilder(q)
  const out: EventRow[] = rows.map((r) => b.row(r))
  let total = offset + out.length + (more ? 1 : 0)
  let exact = !more
  if (args.noTotal !== true) {
    total =
      where.exactTotal !== null
        ? where.exactTotal
        : where.sql === 'e.hidden = 0'
          ? q.visibleEvents()
          : (
              q.q(`SELECT count(*) AS n FROM events e WHERE ${where.sql}`).get(...where.params) as {
                n: number
              }
            ).n
    exact = true
  }
  const last = out[out.length - 1]
  return {
    page: { ok: true, rows: out, offset, total, totalExact: exact },
    next: more && last !== undefined ? last.num : null,
    evaluation: where.evaluation
  }
}

/** The events sysdig prints around `num`: up to `before` before it, it, and up to `after` after it. */
export function eventsAround(q: QueryDb, num: number, before = 10, after = 10): EventsAround {
  const b = new EventRowBuilder(q)
  const prev = (
    q
      .q(`SELECT ${EVENT_COLS} FROM events e WHERE e.num < ? AND e.hidden = 0 ORDER BY e.num DESC LIMIT ?`)
      .all(num, before) as EventDbRow[]
  ).reverse()
  const next = q
    .q(`SELECT ${EVENT_COLS} FROM events e WHERE e.num >= ? AND e.hidden = 0 ORDER BY e.num LIMIT ?`)
    .all(num, after + 1) as EventDbRow[]
  return { target: num, rows: [...prev, ...next].map((r) => b.row(r)) }
}

/** The filter's syntax problem, or null when it parses and compiles. */
export function checkFilter(q: QueryDb, text: string): FilterProblem | null {
  try {
    const ast = parseFilter(text)
    if (ast !== null && compileFilterSql(q, ast) === null) compileWithRegistry(ast, text)
    return null
  } catch (e) {
    return problemOf(e)
  }
}
