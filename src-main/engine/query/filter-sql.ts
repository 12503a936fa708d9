/**
 * Compiles a sysdig/Falco filter to a SQL condition over `events e` where every field it uses is indexed:
 *
 *   evt.num, evt.cpu, evt.res/evt.rawres (numbers), evt.failed, fd.num   → comparisons on columns
 *   evt.type, evt.dir, fd.name                                              → the check is evaluated in JS over
 *   proc.args/pid/ppid/vpid, user.name/uid, user.loginname/loginuid,       the (few) distinct values, giving a
 *   proc.tty, proc.sid, container.id                                       set of ids: `e.col IN (ids)`
 *   thread.tid                                                             the header tid: events.tid where
 *                                                                            set, else the set of threads
 *   proc.name/exe/exepath/cmdline                                          per thread and interval between
 *                                                                            execve calls (thread_names)
 *
 * A field outside this set (or an operator the set evaluation does not know) makes `compileFilterSql` return
 * null: the caller then evaluates the filter with the real field extractors over the capture. proc.args,
 * user.* and container.id use each process's last values (after its last execve).
 */
import type { Ast, BinaryCheck, CheckNode, FieldRef, Operand, ValueNode } from '../filter/ast'
import { compileGlob } from '../filter/glob'
import type { QueryDb } from './query-db'

export interface SqlFilter {
  where: string
  params: (string | number)[]
}

class NotSql extends Error {}

type Scalar = string | number

interface SetField {
  kind: 'set'
  /** events column holding the id */
  column: string
  /** [id, value] pairs of the domain */
  domain: (q: QueryDb) => [number, Scalar | null][]
  numeric: boolean
}

interface ColField {
  kind: 'col'
  sql: string
}

/** Per-thread values over intervals of events (thread_names): proc.name & co. as they were at each event. */
interface IntervalField {
  kind: 'interval'
  column: 'name' | 'exe' | 'exepath' | 'cmdline'
  /** the per-process set field used when an index has no thread_names */
  fallback: SetField
}

/**
 * thread.tid is the event header's tid (sysdig reads it even when the event has no thread): events.tid holds
 * it where utid does not give it, and is NULL where it is utid's tid.
 */
interface TidField {
  kind: 'tid'
}

type FieldMap = ColField | SetField | IntervalField | TidField

/** Above this many partially matching intervals the filter is evaluated by scanning instead. */
const MAX_INTERVALS = 200

function procDomain(col: string): (q: QueryDb) => [number, Scalar | null][] {
  return (q) => q.q(`SELECT upid, ${col} FROM processes`).raw().all() as [number, Scalar | null][]
}

const FIELDS: Record<string, FieldMap> = {
  'evt.num': { kind: 'col', sql: 'e.num' },
  'evt.cpu': { kind: 'col', sql: 'e.cpu' },
  'evt.res': { kind: 'col', sql: 'e.res' },
  'evt.rawres': { kind: 'col', sql: 'e.res' },
  'fd.num': { kind: 'col', sql: 'e.fd' },
  'evt.type': {
    kind: 'set',
    column: 'e.etype',
    numeric: false,
    domain: (q) => q.q('SELECT id, name FROM event_types').raw().all() as [number, string][]
  },
  'evt.dir': {
    kind: 'set',
    column: 'e.etype',
    numeric: false,
    domain: (q) => q.q('SELECT id, dir FROM event_types').raw().all() as [number, string][]
  },
  'fd.name': {
    kind: 'set',
    column: 'e.fdname',
    numeric: false,
    domain: (q) => q.q('SELECT id, s FROM strings').raw().all() as [number, string][]
  },
  'proc.name': {
    kind: 'interval',
    column: 'name',
    fallback: { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('name') }
  },
  'proc.exe': {
    kind: 'interval',
    column: 'exe',
    fallback: { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('exe') }
  },
  'proc.exepath': {
    kind: 'interval',
    column: 'exepath',
    fallback: { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('exepath') }
  },
  'proc.cmdline': {
    kind: 'interval',
    column: 'cmdline',
    fallback: { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('cmdline') }
  },
  'proc.args': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('args') },
  'proc.pid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('pid') },
  'proc.ppid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('ppid') },
  'proc.vpid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('vpid') },
  'proc.tty': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('tty') },
  'proc.sid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('sid') },
  'user.name': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('user') },
  'user.uid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('uid') },
  'user.loginname': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('loginuser') },
  'user.loginuid': { kind: 'set', column: 'e.upid', numeric: true, domain: procDomain('loginuid') },
  'container.id': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('container_id') },
  'thread.tid': { kind: 'tid' }
}

function threadTids(q: QueryDb): [number, number][] {
  return q.q('SELECT utid, tid FROM threads').raw().all() as [number, number][]
}

const NUM_OPS: Record<string, string> = {
  '=': '=',
  '==': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>='
}

export function compileFilterSql(q: QueryDb, ast: Ast): SqlFilter | null {
  const params: (string | number)[] = []
  try {
    return { where: node(q, ast, params), params }
  } catch (e) {
    if (e instanceof NotSql) return null
    throw e
  }
}

function node(q: QueryDb, n: Ast, params: (string | number)[]): string {
  switch (n.kind) {
    case 'and':
      return '(' + n.children.map((c) => node(q, c, params)).join(' AND ') + ')'
    case 'or':
      return '(' + n.children.map((c) => node(q, c, params)).join(' OR ') + ')'
    case 'not':
      return `(NOT coalesce(${node(q, n.child, params)}, 0))`
    case 'macro':
      if (n.body === undefined) throw new NotSql()
      return node(q, n.body, params)
    default:
      return check(q, n, params)
  }
}

function plainField(o: Operand): FieldRef {
  if (o.kind !== 'field' || o.arg !== undefined) throw new NotSql()
  return o
}

function check(q: QueryDb, n: CheckNode, params: (string | number)[]): string {
  const f = plainField(n.lhs)
  if (f.name === 'evt.failed') {
    if (n.kind === 'unary') return '1'
    const v = singleValue(n)
    const truth = v === 'true' || v === '1'
    if (n.op !== '=' && n.op !== '==' && n.op !== '!=') throw new NotSql()
    const want = n.op === '!=' ? !truth : truth
    return want ? '(e.res < 0)' : '(e.res IS NULL OR e.res >= 0)'
  }
  const m = FIELDS[f.name]
  if (m === undefined) throw new NotSql()
  if (m.kind === 'col') {
    if (n.kind === 'unary') return `(${m.sql} IS NOT NULL)`
    if (n.op === 'in') {
      const vals = listValues(n).map(toNumber)
      params.push(JSON.stringify(vals))
      return `(${m.sql} IN (SELECT value FROM json_each(?)))`
    }
    const op = NUM_OPS[n.op]
    if (op === undefined || n.modifier !== undefined) throw new NotSql()
    params.push(toNumber(singleValue(n)))
    return `(${m.sql} ${op} ?)`
  }
  if (m.kind === 'tid') {
    if (n.kind === 'unary') return '1' // every event has a header tid
    const pred = valuePredicate(n, true)
    const utids: number[] = []
    for (const [utid, tid] of threadTids(q)) if (pred(tid)) utids.push(utid)
    params.push(JSON.stringify(utids))
    let own: string
    if (n.op === 'in') {
      params.push(JSON.stringify(listValues(n).map(toNumber)))
      own = 'e.tid IN (SELECT value FROM json_each(?))'
    } else {
      const op = NUM_OPS[n.op]
      if (op === undefined) throw new NotSql()
      params.push(toNumber(singleValue(n)))
      own = `e.tid ${op} ?`
    }
    return `(CASE WHEN e.tid IS NULL THEN e.utid IN (SELECT value FROM json_each(?)) ELSE ${own} END)`
  }
  if (m.kind === 'interval') {
    const r = intervalMatch(q, n, m)
    if (r === null) return setCheck(q, n, m.fallback, params)
    const parts = ['e.utid IN (SELECT value FROM json_each(?))']
    params.push(JSON.stringify(r.full))
    for (const [utid, from, to] of r.partial) {
      parts.push('(e.utid = ? AND e.num BETWEEN ? AND ?)')
      params.push(utid, from, to)
    }
    return `(${parts.join(' OR ')})`
  }
  return setCheck(q, n, m, params)
}

function setCheck(q: QueryDb, n: CheckNode, m: SetField, params: (string | number)[]): string {
  const pred = valuePredicate(n, m.numeric)
  const ids: number[] = []
  for (const [id, v] of m.domain(q)) if (v !== null && pred(v)) ids.push(id)
  params.push(JSON.stringify(ids))
  return `(${m.column} IN (SELECT value FROM json_each(?)))`
}

/**
 * Threads whose every interval matches (full) and the matching intervals of the others (partial); null when
 * the index has no thread_names. Throws NotSql when too many partial intervals remain.
 */
function intervalMatch(
  q: QueryDb,
  n: CheckNode,
  m: IntervalField
): { full: number[]; partial: [number, number, number][] } | null {
  if ((q.q('SELECT count(*) AS n FROM thread_names').get() as { n: number }).n === 0) return null
  const pred = valuePredicate(n, false)
  const rows = q
    .q(`SELECT utid, from_num, to_num, ${m.column} FROM thread_names ORDER BY utid, from_num`)
    .raw()
    .all() as [number, number, number, string | null][]
  const full: number[] = []
  const partial: [number, number, number][] = []
  let i = 0
  while (i < rows.length) {
    const utid = rows[i]?.[0] ?? 0
    let j = i
    const hits: [number, number, number][] = []
    while (j < rows.length && rows[j]?.[0] === utid) {
      const r = rows[j]
      if (r !== undefined && r[3] !== null && pred(r[3])) hits.push([utid, r[1], r[2]])
      j++
    }
    if (hits.length === j - i) full.push(utid)
    else partial.push(...hits)
    i = j
  }
  if (partial.length > MAX_INTERVALS) throw new NotSql()
  return { full, partial }
}

function singleValue(n: BinaryCheck): string {
  if (n.rhs.kind !== 'value') throw new NotSql()
  return n.rhs.value
}

function listValues(n: BinaryCheck): string[] {
  if (n.rhs.kind === 'list') return n.rhs.items.map((i: ValueNode) => i.value)
  if (n.rhs.kind === 'value') return [n.rhs.value]
  throw new NotSql()
}

function toNumber(s: string): number {
  const v = Number(s)
  if (!Number.isFinite(v) || s.trim() === '') throw new NotSql()
  return v
}

/** The check as a JS predicate over one field value (string and numeric operators of the language). */
function valuePredicate(n: CheckNode, numeric: boolean): (v: Scalar) => boolean {
  if (n.kind === 'unary') return () => true
  if (n.modifier !== undefined) throw new NotSql()
  if (n.op === 'in') {
    const set = new Set(listValues(n).map((s) => (numeric ? String(toNumber(s)) : s)))
    return (v) => set.has(String(v))
  }
  const raw = singleValue(n)
  if (numeric) {
    const c = toNumber(raw)
    switch (n.op) {
      case '=':
      case '==':
        return (v) => Number(v) === c
      case '!=':
        return (v) => Number(v) !== c
      case '<':
        return (v) => Number(v) < c
      case '<=':
        return (v) => Number(v) <= c
      case '>':
        return (v) => Number(v) > c
      case '>=':
        return (v) => Number(v) >= c
      default:
        throw new NotSql()
    }
  }
  switch (n.op) {
    case '=':
    case '==':
      return (v) => String(v) === raw
    case '!=':
      return (v) => String(v) !== raw
    case 'contains':
      return (v) => String(v).includes(raw)
    case 'icontains': {
      const low = raw.toLowerCase()
      return (v) => String(v).toLowerCase().includes(low)
    }
    case 'startswith':
      return (v) => String(v).startsWith(raw)
    case 'endswith':
      return (v) => String(v).endsWith(raw)
    case 'glob': {
      const g = compileGlob(raw)
      return (v) => g(String(v))
    }
    case 'iglob': {
      const g = compileGlob(raw, true)
      return (v) => g(String(v))
    }
    default:
      throw new NotSql()
  }
}

/**
 * For a single check on a set-valued field (evt.type, proc.name, ...): the column and the matching ids, or null
 * when the node is something else (or not compilable).
 */
export function setFieldIds(q: QueryDb, n: Ast): { column: string; ids: number[] } | null {
  if (n.kind !== 'binary' && n.kind !== 'unary') return null
  if (n.lhs.kind !== 'field' || n.lhs.arg !== undefined) return null
  const f = FIELDS[n.lhs.name]
  if (f === undefined || f.kind === 'col' || f.kind === 'tid') return null
  if (f.kind === 'interval') {
    try {
      const r = intervalMatch(q, n, f)
      if (r === null) return setFieldIdsOf(q, n, f.fallback)
      const utids = [...r.full, ...r.partial.map((p) => p[0])]
      const upids = q
        .q('SELECT DISTINCT upid FROM threads WHERE utid IN (SELECT value FROM json_each(?))')
        .raw()
        .all(JSON.stringify(utids)) as number[][]
      return { column: 'e.upid', ids: upids.map((u) => u[0] ?? 0) }
    } catch (e) {
      if (e instanceof NotSql) return null
      throw e
    }
  }
  return setFieldIdsOf(q, n, f)
}

function setFieldIdsOf(q: QueryDb, n: CheckNode, m: SetField): { column: string; ids: number[] } | null {
  try {
    const pred = valuePredicate(n, m.numeric)
    const ids: number[] = []
    for (const [id, v] of m.domain(q)) if (v !== null && pred(v)) ids.push(id)
    return { column: m.column, ids }
  } catch (e) {
    if (e instanceof NotSql) return null
    throw e
  }
}
