/**
 * Indicators of compromise and the key (non-alert) events of the timeline, from the file and connection
 * read models of the whole capture: remote endpoints, files written and executed, sensitive files read, and
 * the commands run (processes that executed during the capture).
 */
import type { ConnectionRow, FileActivity, ProcessNode } from '../../common/model/types'
import { instant, cmpNs } from './instant'
import type { Iocs, TimelineEntry } from './report-types'

/** Pseudo-files that every process touches: not indicators. */
const PSEUDO = /^\/(dev|proc|sys)\//
const UNSPECIFIED = new Set(['', '0.0.0.0', '::', '0'])

export interface IocLimits {
  endpoints: number
  files: number
  commands: number
}

export const DEFAULT_IOC_LIMITS: IocLimits = { endpoints: 200, files: 200, commands: 300 }

function names(upids: Iterable<number>, procs: Map<number, ProcessNode>): string[] {
  const out = new Set<string>()
  for (const u of upids) {
    const p = procs.get(u)
    if (p !== undefined) out.add(`${p.name}[${String(p.pid)}]`)
  }
  return [...out].sort()
}

export function buildIocs(
  files: FileActivity,
  conns: readonly ConnectionRow[],
  procs: Map<number, ProcessNode>,
  alerting: Set<number>,
  limits: IocLimits
): Iocs {
  let truncated = false
  const ends = new Map<
    string,
    {
      address: string
      port: number
      proto: string
      dirs: Set<string>
      loopback: boolean
      upids: Set<number>
      count: number
      first: string
    }
  >()
  for (const c of conns) {
    if (c.proto === 'unix' || UNSPECIFIED.has(c.remoteAddr)) continue
    const key = `${c.proto} ${c.remoteAddr} ${String(c.remotePort)}`
    let e = ends.get(key)
    if (e === undefined) {
      e = {
        address: c.remoteAddr,
        port: c.remotePort,
        proto: c.proto,
        dirs: new Set(),
        loopback: c.loopback,
        upids: new Set(),
        count: 0,
        first: c.firstTs
      }
      ends.set(key, e)
    }
    e.dirs.add(c.direction)
    if (c.upid >= 0) e.upids.add(c.upid)
    e.count += c.count
    if (cmpNs(c.firstTs, e.first) < 0) e.first = c.firstTs
  }
  const remoteEndpoints = [...ends.values()]
    .sort(
      (a, b) =>
        Number(a.loopback) - Number(b.loopback) || cmpNs(a.first, b.first) || (a.address < b.address ? -1 : 1)
    )
    .map((e) => ({
      address: e.address,
      port: e.port,
      proto: e.proto,
      direction: [...e.dirs].sort().join('/'),
      loopback: e.loopback,
      processes: names(e.upids, procs),
      count: e.count,
      first: instant(e.first)
    }))
  if (remoteEndpoints.length > limits.endpoints) {
    truncated = true
    remoteEndpoints.length = limits.endpoints
  }
  const filesWritten = files.byPath
    .filter((p) => p.writes > 0 && !PSEUDO.test(p.path))
    .map((p) => ({
      path: p.path,
      writes: p.writes,
      processes: names(p.upids, procs),
      sensitive: p.sensitive
    }))
  const sensitiveFilesRead = files.byPath.flatMap((p) =>
    p.sensitive !== null && p.reads > 0 && p.sensitive !== 'etc-write' && p.sensitive !== 'bin-write'
      ? [{ path: p.path, reads: p.reads, processes: names(p.upids, procs), sensitive: p.sensitive }]
      : []
  )
  const exec = new Map<string, { upids: Set<number>; first: string }>()
  const commands: Iocs['commands'] = []
  const seenCmd = new Set<number>()
  for (const f of files.rows) {
    if (f.access !== 'x' || (f.res !== null && f.res.startsWith('E'))) continue
    const e = exec.get(f.path)
    if (e === undefined) exec.set(f.path, { upids: new Set(f.upid >= 0 ? [f.upid] : []), first: f.ts })
    else if (f.upid >= 0) e.upids.add(f.upid)
    if (f.upid < 0 || seenCmd.has(f.upid)) continue
    seenCmd.add(f.upid)
    const p = procs.get(f.upid)
    commands.push({
      cmdline: p?.cmdline ?? f.procName,
      pid: f.pid,
      upid: f.upid,
      user: p?.user ?? '',
      container: p?.container ?? null,
      ts: instant(f.ts),
      alerting: alerting.has(f.upid)
    })
  }
  const filesExecuted = [...exec.entries()].map(([path, e]) => ({
    path,
    processes: names(e.upids, procs),
    first: instant(e.first)
  }))
  for (const list of [filesWritten, sensitiveFilesRead, filesExecuted, commands] as unknown[][]) {
    const cap = list === commands ? limits.commands : limits.files
    if (list.length > cap) {
      truncated = true
      list.length = cap
    }
  }
  if (files.truncated) truncated = true
  return { remoteEndpoints, filesWritten, filesExecuted, sensitiveFilesRead, commands, truncated }
}

/** Key events for the timeline: executions, connections leaving the host, sensitive or written files. */
export function keyEvents(
  files: FileActivity,
  conns: readonly ConnectionRow[],
  procs: Map<number, ProcessNode>,
  perKind: number
): { entries: TimelineEntry[]; truncated: boolean } {
  const execs: TimelineEntry[] = []
  const nets: TimelineEntry[] = []
  const fileOps: TimelineEntry[] = []
  let truncated = false
  const push = (list: TimelineEntry[], e: TimelineEntry): void => {
    if (list.length < perKind) list.push(e)
    else truncated = true
  }
  for (const f of files.rows) {
    if (f.res !== null && f.res.startsWith('E')) continue
    if (f.access === 'x') {
      const p = procs.get(f.upid)
      push(execs, {
        ...instant(f.ts),
        kind: 'exec',
        priority: null,
        rule: null,
        text: `${f.procName}[${String(f.pid)}] exec ${p?.cmdline ?? f.path}`,
        upid: f.upid >= 0 ? f.upid : null,
        num: null
      })
    } else if (
      !PSEUDO.test(f.path) &&
      (f.sensitive !== null || (f.access.includes('w') && f.op !== 'open'))
    ) {
      push(fileOps, {
        ...instant(f.ts),
        kind: 'file',
        priority: null,
        rule: null,
        text: `${f.procName}[${String(f.pid)}] ${f.op} ${f.path}${f.access === '' ? '' : ` (${f.access})`}${f.sensitive === null ? '' : ` [${f.sensitive}]`}`,
        upid: f.upid >= 0 ? f.upid : null,
        num: null
      })
    }
  }
  for (const c of conns) {
    if (c.loopback || c.proto === 'unix' || UNSPECIFIED.has(c.remoteAddr)) continue
    push(nets, {
      ...instant(c.firstTs),
      kind: 'connect',
      priority: null,
      rule: null,
      text: `${c.procName}[${String(c.pid)}] ${c.direction} ${c.proto} ${c.tuple}${c.count > 1 ? ` (${String(c.count)}×)` : ''}`,
      upid: c.upid >= 0 ? c.upid : null,
      num: null
    })
  }
  if (files.truncated) truncated = true
  return { entries: [...execs, ...nets, ...fileOps], truncated }
}
