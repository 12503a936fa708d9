/**
 * Compiles a sysdig/Falco filter to a SQL condition over `events e` where every field it uses is indexed:
 *
 *   evt.num, evt.cpu, evt.res/evt.rawres (numbers), evt.failed, fd.num   → comparisons on columns
 *   evt.type, evt.dir, fd.name                                              → the check is evaluated in JS over
 *   proc.name/exe/exepath/cmdline/args/cwd/pid/ppid/vpid, user.name/uid,    the (few) distinct values, giving a
 *   user.loginname/loginuid, proc.tty, proc.sid, container.id, thread.tid  set of ids: `e.col IN (ids)`
 *
 * A field outside this set (or an operator the set evaluation does not know) makes `compileFilterSql` return
 * null: the caller then evaluates the filter with the real field extractors over the capture. Process
 * fields use the process's final values (after its last execve), a documented approximation.
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

type FieldMap = ColField | SetField

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
  'proc.name': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('name') },
  'proc.exe': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('exe') },
  'proc.exepath': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('exepath') },
  'proc.cmdline': { kind: 'set', column: 'e.upid', numeric: false, domain: procDomain('cmdline') },
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
  'thread.tid': {
    kind: 'set',
    column: 'e.utid',
    numeric: true,
    domain: (q) => q.q('SELECT utid, tid FROM threads').raw().all() as [number, number][]
  }
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
  const pred = valuePredicate(n, m.numeric)
  const ids: number[] = []
  for (const [id, v] of m.domain(q)) if (v !== null && pred(v)) ids.push(id)
  params.push(JSON.stringify(ids))
  return `(${m.column} IN (SELECT value FROM json_each(?)))`
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
  const m = FIELDS[n.lhs.name]
  if (m === undefined || m.kind !== 'set') return null
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
