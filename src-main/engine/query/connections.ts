/**
 * Read model: network connections (connect, accept, bind, listen) grouped by process and socket tuple, and
 * by remote endpoint, with loopback/unix traffic flagged so the views can set it apart.
 */
import type { ConnectionRow, Connections, TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { endpointText } from './overview'

export interface ConnectionsArgs {
  window?: TimeWindow | null
  upid?: number | null
  limit?: number
}

interface Row {
  upid: number | null
  pid: number | null
  name: string | null
  l4proto: string | null
  family: number
  direction: string
  local: number
  lip: string
  lport: number
  rip: string
  rport: number
  tuple: string
  first_ts: number
  n: number
}

export function connections(q: QueryDb, args: ConnectionsArgs = {}): Connections {
  const limit = args.limit ?? 5000
  const conds: string[] = []
  const params: number[] = []
  if (args.window !== null && args.window !== undefined) {
    const { from, to } = q.window(args.window)
    conds.push('c.ts >= ? AND c.ts < ?')
    params.push(from, to)
  }
  if (args.upid !== null && args.upid !== undefined) {
    conds.push('c.upid = ?')
    params.push(args.upid)
  }
  const rows = q
    .q(
      `SELECT c.upid, p.pid, p.name, c.l4proto, c.family, c.direction, max(c.local) AS local, c.lip, c.lport, c.rip,
              c.rport, s.s AS tuple, min(c.ts) AS first_ts, count(*) AS n
       FROM connections c LEFT JOIN processes p ON p.upid = c.upid JOIN strings s ON s.id = c.name
       WHERE ${conds.length === 0 ? '1' : conds.join(' AND ')}
       GROUP BY c.upid, c.name, c.direction ORDER BY first_ts, c.upid, tuple LIMIT ?`
    )
    .all(...params, limit + 1) as Row[]
  const truncated = rows.length > limit
  if (truncated) rows.length = limit
  const out: ConnectionRow[] = rows.map((r) => ({
    upid: r.upid ?? -1,
    pid: r.pid ?? -1,
    procName: r.name ?? '',
    proto: r.l4proto ?? 'unknown',
    direction: r.direction === 'in' || r.direction === 'out' ? r.direction : 'unknown',
    loopback: r.local === 1,
    localAddr: r.lip,
    localPort: r.lport,
    remoteAddr: r.rip,
    remotePort: r.rport,
    tuple: r.tuple,
    firstTs: q.abs(r.first_ts),
    count: r.n
  }))
  const ends = new Map<string, { endpoint: string; loopback: boolean; count: number; upids: Set<number> }>()
  for (const r of rows) {
    if (r.direction === 'listen') continue
    const key = endpointText(r.rip, r.rport, r.family)
    let e = ends.get(key)
    if (e === undefined)
      ends.set(key, (e = { endpoint: key, loopback: r.local === 1, count: 0, upids: new Set() }))
    e.count += r.n
    if (r.upid !== null) e.upids.add(r.upid)
  }
  const byEndpoint = [...ends.values()]
    .map((e) => ({
      endpoint: e.endpoint,
      loopback: e.loopback,
      count: e.count,
      upids: [...e.upids].sort((a, b) => a - b)
    }))
    .sort((a, b) => b.count - a.count || (a.endpoint < b.endpoint ? -1 : 1))
  return { rows: out, byEndpoint, truncated }
}
