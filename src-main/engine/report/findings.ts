/**
 * One finding per rule that fired: its priority, MITRE tactics and techniques with names, description, the
 * alerts' outputs, the triggering events, the lineage of the alerting processes (merged into one small
 * forest), and the related file and network activity of those processes — all from the read models.
 */
import type { AlertRow, EventRow, ProcessNode } from '../../common/model/types'
import type { QueryDb } from '../query/query-db'
import { alertDetail } from '../query/alerts'
import { fileActivity } from '../query/files'
import { connections } from '../query/connections'
import { mitreOfTags, techniqueLabel } from './mitre'
import { instant, instantOrNull } from './instant'
import type {
  FileActivityRef,
  Finding,
  LineageNode,
  NetworkActivityRef,
  ReportEvent,
  ReportTactic,
  ReportTechnique
} from './report-types'

export interface FindingLimits {
  /** alerts listed per rule */
  alerts: number
  /** triggering events shown per rule */
  events: number
  /** alerting processes whose lineage and activity are shown, per rule */
  processes: number
  files: number
  network: number
}

export const DEFAULT_FINDING_LIMITS: FindingLimits = {
  alerts: 50,
  events: 10,
  processes: 5,
  files: 30,
  network: 30
}

export function mitreOf(tags: readonly string[]): { tactics: ReportTactic[]; techniques: ReportTechnique[] } {
  const m = mitreOfTags(tags)
  return {
    tactics: m.tactics.map((t) => ({ tag: t.tag, id: t.id, name: t.name })),
    techniques: m.techniques.map((t) => ({ id: t.id, name: t.name, label: techniqueLabel(t) }))
  }
}

export function reportEvent(e: EventRow): ReportEvent {
  return {
    ...instant(e.ts),
    num: e.num,
    dir: e.dir,
    type: e.type,
    cpu: e.cpu,
    pid: e.pid,
    tid: e.tid,
    procName: e.procName,
    fdName: e.fdName,
    res: e.res,
    info: e.info
  }
}

function lineageNode(n: ProcessNode, alerting: boolean): LineageNode {
  return {
    upid: n.upid,
    parentUpid: n.parentUpid,
    pid: n.pid,
    name: n.name,
    exe: n.exe,
    cmdline: n.cmdline,
    user: n.user,
    container: n.container,
    start: instantOrNull(n.start),
    alerting
  }
}

/** File operations worth showing next to an alert: writes, executions, deletions, renames, sensitive files. */
function notableFile(access: string, op: string, sensitive: string | null): boolean {
  return sensitive !== null || access.includes('w') || access === 'x' || op !== 'open'
}

export function buildFinding(
  q: QueryDb,
  rule: string,
  rows: readonly AlertRow[],
  description: string | null,
  limits: FindingLimits
): Finding {
  const first = rows[0]
  const last = rows[rows.length - 1]
  if (first === undefined || last === undefined) throw new Error(`no alerts for ${rule}`)
  const tags = [...first.tags]
  const listed = rows.slice(0, limits.alerts)
  const events: ReportEvent[] = []
  const lineage = new Map<number, LineageNode>()
  const upids: number[] = []
  for (const a of rows) if (a.upid !== null && !upids.includes(a.upid)) upids.push(a.upid)
  const shownUpids = upids.slice(0, limits.processes)
  const lineageDone = new Set<number>()
  for (const a of listed) {
    const wantEvent = events.length < limits.events
    const wantLineage = a.upid !== null && shownUpids.includes(a.upid) && !lineageDone.has(a.upid)
    if (!wantEvent && !wantLineage) continue
    const d = alertDetail(q, a.id, 0)
    if (d === null) continue
    if (wantEvent && d.event !== null) events.push(reportEvent(d.event))
    if (wantLineage && a.upid !== null) {
      lineageDone.add(a.upid)
      for (const n of d.lineage) {
        const alerting = shownUpids.includes(n.upid)
        const prev = lineage.get(n.upid)
        if (prev === undefined) lineage.set(n.upid, lineageNode(n, alerting))
        else prev.alerting ||= alerting
      }
    }
  }
  const files: FileActivityRef[] = []
  let filesOmitted = 0
  const network: NetworkActivityRef[] = []
  let networkOmitted = 0
  for (const upid of shownUpids) {
    const fa = fileActivity(q, { upid, limit: 5000 })
    for (const f of fa.rows) {
      if (!notableFile(f.access, f.op, f.sensitive) || files.length >= limits.files) {
        filesOmitted++
        continue
      }
      files.push({
        ...instant(f.ts),
        path: f.path,
        op: f.op,
        access: f.access,
        pid: f.pid,
        procName: f.procName,
        res: f.res,
        sensitive: f.sensitive
      })
    }
    const cn = connections(q, { upid, limit: 1000 })
    for (const c of cn.rows) {
      if (network.length >= limits.network) {
        networkOmitted++
        continue
      }
      network.push({
        ...instant(c.firstTs),
        proto: c.proto,
        direction: c.direction,
        tuple: c.tuple,
        remoteAddr: c.remoteAddr,
        remotePort: c.remotePort,
        loopback: c.loopback,
        pid: c.pid,
        procName: c.procName,
        count: c.count
      })
    }
  }
  return {
    rule,
    priority: first.priority,
    description,
    tags,
    ...mitreOf(tags),
    count: rows.length,
    first: instant(first.ts),
    last: instant(last.ts),
    alerts: listed.map((a) => ({
      ...instant(a.ts),
      id: a.id,
      priority: a.priority,
      output: a.output,
      num: a.num,
      upid: a.upid,
      procName: a.procName
    })),
    alertsOmitted: rows.length - listed.length,
    events,
    lineage: orderForest([...lineage.values()]),
    files,
    filesOmitted,
    network,
    networkOmitted
  }
}

/** Parent before child, siblings by upid: the order a tree is drawn in. */
export function orderForest(nodes: LineageNode[]): LineageNode[] {
  const byUpid = new Map(nodes.map((n) => [n.upid, n]))
  const children = new Map<number | null, LineageNode[]>()
  for (const n of nodes) {
    const p = n.parentUpid !== null && byUpid.has(n.parentUpid) ? n.parentUpid : null
    const list = children.get(p) ?? []
    list.push(n)
    children.set(p, list)
  }
  const out: LineageNode[] = []
  const seen = new Set<number>()
  const walk = (p: number | null): void => {
    const list = (children.get(p) ?? []).sort((a, b) => a.upid - b.upid)
    for (const n of list) {
      if (seen.has(n.upid)) continue
      seen.add(n.upid)
      out.push(n)
      walk(n.upid)
    }
  }
  walk(null)
  // nodes caught in a parent cycle have no root: add them so nothing is dropped
  for (const n of nodes) if (!seen.has(n.upid)) out.push(n)
  return out
}
