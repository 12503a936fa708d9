/**
 * Assembles the incident report from an index through the query API (the read models the UI uses), plus the
 * few chain-of-custody facts in index-facts.ts. Nothing re-reads the capture except its first bytes for the
 * section header (recorder, OS). Lists are capped so a report of millions of events stays readable; every
 * cap that cut something is named in dataQuality.warnings.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { PRIORITIES, type AlertRow, type Priority, type ProcessNode } from '../../common/model/types'
import { QueryDb } from '../query/query-db'
import { overview } from '../query/overview'
import { alerts as alertsModel } from '../query/alerts'
import { processTree } from '../query/process-tree'
import { timeline as timelineModel } from '../query/timeline'
import { fileActivity } from '../query/files'
import { connections } from '../query/connections'
import { toolVersion } from '../index/db'
import { prepareRuleset } from '../index/rules-prepare'
import type { RulesetOptions } from '../rules/ruleset'
import { priorityName as rulePriorityName } from '../rules/loader/items'
import {
  alertExtras,
  captureFacts,
  containerInfo,
  importMessages,
  incompleteRuns,
  ioIndexed,
  runFacts
} from './index-facts'
import { commands as commandsModel, topConnections, topFiles, type TopIoRow } from '../query/io'
import { readSectionHeader } from './section-header'
import { instant, instantOrNull, nsBetween } from './instant'
import { buildFinding, DEFAULT_FINDING_LIMITS, mitreOf, type FindingLimits } from './findings'
import { buildIocs, DEFAULT_IOC_LIMITS, keyEvents } from './iocs'
import { falcoJsonLine } from './falco-lines'
import { tacticOf } from './mitre'
import {
  REPORT_SCHEMA_VERSION,
  type ActivityExtras,
  type AppendixRule,
  type DataQuality,
  type IoRef,
  type IncidentReport,
  type ReportRules,
  type Summary,
  type TimelineEntry
} from './report-types'

export interface ReportOptions {
  title?: string
  /** leave out alerts below this priority */
  minPriority?: Priority | null
  /** analyst notes (plain text or Markdown source, shown as text) */
  notes?: string | null
  /** fixed generation time (tests); default now */
  generatedAt?: Date
  /** the most alerts read from the index */
  alertLimit?: number
  findingLimits?: Partial<FindingLimits>
}

const ALERT_LIMIT = 20_000
const TIMELINE_ALERTS = 300
const TIMELINE_KEY_EVENTS = 100
const COMMAND_LIMIT = 300

function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p)
}

/** Priority from user text ("warning", "WARNING", "info"); null when unknown. */
export function parsePriorityName(s: string): Priority | null {
  const v = s.trim().toUpperCase()
  if (v === 'INFO') return 'INFORMATIONAL'
  return (PRIORITIES as readonly string[]).includes(v) ? (v as Priority) : null
}

function fileSha(path: string): string | null {
  try {
    return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null
  } catch {
    return null
  }
}

interface RuleMeta {
  description: string | null
  file: string | null
  tags: string[]
  priority: Priority
}

/** The rules of the run as loaded now from its files (for descriptions and the appendix). */
function loadRunRules(
  files: readonly string[],
  options: Record<string, unknown>,
  warnings: string[]
): Map<string, RuleMeta> | null {
  if (files.length === 0) return null
  const opts: RulesetOptions = {}
  if (typeof options.minPriority === 'number') opts.minPriority = options.minPriority
  if (options.matching === 'first' || options.matching === 'all') opts.matching = options.matching
  for (const k of ['tags', 'disableTags', 'disable', 'enable'] as const) {
    const v = options[k]
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) opts[k] = v
  }
  try {
    const p = prepareRuleset(files, opts)
    if (p.ruleset === null) {
      warnings.push(
        `the rule files could not be loaded again for descriptions: ${p.error ?? 'unknown error'}`
      )
      return null
    }
    return new Map(
      p.ruleset.rules.map((r) => [
        r.name,
        {
          description: r.def.desc.trim() === '' ? null : r.def.desc.trim(),
          file: r.def.itemSource.file,
          tags: [...r.tags],
          priority: rulePriorityName(r.priority).toUpperCase() as Priority
        }
      ])
    )
  } catch (e) {
    warnings.push(`the rule files could not be loaded again: ${e instanceof Error ? e.message : String(e)}`)
    return null
  }
}

export function buildReport(db: QueryDb | string, options: ReportOptions = {}): IncidentReport {
  const q = typeof db === 'string' ? QueryDb.open(db) : db
  try {
    return assemble(q, options)
  } finally {
    if (typeof db === 'string') q.close()
  }
}

function assemble(q: QueryDb, options: ReportOptions): IncidentReport {
  const warnings: string[] = []
  const cap = captureFacts(q)
  const ov = overview(q)
  const header = readSectionHeader(cap.path)
  const minPriority = options.minPriority ?? null
  const keep = (p: Priority): boolean => minPriority === null || priorityRank(p) <= priorityRank(minPriority)

  // ---- rules run ----
  const runId = q.activeRun()
  const run = runId === null ? null : runFacts(q, runId)
  const rules: ReportRules = {
    runId,
    status: run?.status ?? null,
    startedAt: run?.startedAt ?? null,
    files: (run?.files ?? []).map((f) => ({
      path: f.path,
      sha256: f.sha256,
      unchanged: fileSha(f.path) === f.sha256
    })),
    rulesLoaded: run?.rulesLoaded ?? 0,
    rulesEnabled: run?.rulesEnabled ?? 0,
    eventsEvaluated: run?.eventsEvaluated ?? 0,
    minPriority,
    diagnostics: run?.diagnostics ?? []
  }
  if (run === null) warnings.push('no complete rules run in the index: no alerts are reported')
  for (const f of rules.files)
    if (!f.unchanged) warnings.push(`rule file ${f.path} changed or is missing since the rules ran`)
  for (const r of incompleteRuns(q)) warnings.push(`rules run ${String(r.id)} did not complete (${r.status})`)
  const ruleMeta =
    run === null
      ? null
      : loadRunRules(
          run.files.map((f) => f.path),
          run.options,
          warnings
        )

  // ---- alerts ----
  const al = alertsModel(q, { limit: options.alertLimit ?? ALERT_LIMIT })
  if (al.truncated)
    warnings.push(
      `more than ${String(options.alertLimit ?? ALERT_LIMIT)} alerts: only the first are detailed`
    )
  const rows = al.rows.filter((a) => keep(a.priority))
  const alertsAll = al.byPriority.reduce((s, r) => s + r.count, 0)
  const byPriority = al.byPriority.filter((r) => keep(r.key))
  const shownCount = byPriority.reduce((s, r) => s + r.count, 0)
  if (minPriority !== null && shownCount < alertsAll)
    warnings.push(
      `${String(alertsAll - shownCount)} alerts below ${minPriority} are left out (--min-priority)`
    )

  // ---- processes ----
  const tree = processTree(q, { limit: 200_000 })
  if (tree.truncated) warnings.push('the process table was cut at 200000 processes')
  const procs = new Map<number, ProcessNode>(tree.nodes.map((n) => [n.upid, n]))
  const alertsByUpid = new Map<number, number>()
  for (const a of rows) if (a.upid !== null) alertsByUpid.set(a.upid, (alertsByUpid.get(a.upid) ?? 0) + 1)

  // ---- findings ----
  const byRule = new Map<string, AlertRow[]>()
  for (const a of rows) {
    const list = byRule.get(a.rule) ?? []
    list.push(a)
    byRule.set(a.rule, list)
  }
  const limits = { ...DEFAULT_FINDING_LIMITS, ...options.findingLimits }
  const ruleOrder = al.byRule.filter((r) => keep(r.priority) && byRule.has(r.rule))
  const findings = ruleOrder.map((r) =>
    buildFinding(q, r.rule, byRule.get(r.rule) ?? [], ruleMeta?.get(r.rule)?.description ?? null, limits)
  )

  // ---- activity, IOCs, timeline ----
  const files = fileActivity(q, { limit: 500_000 })
  const conns = connections(q, { limit: 100_000 })
  if (files.truncated) warnings.push('file activity was cut at 500000 operations for the indicators')
  if (conns.truncated) warnings.push('connections were cut at 100000 for the indicators')
  const alerting = new Set(alertsByUpid.keys())
  const iocs = buildIocs(files, conns.rows, procs, alerting, DEFAULT_IOC_LIMITS)
  if (iocs.truncated)
    warnings.push(
      `some indicator lists were cut at their limits (${String(DEFAULT_IOC_LIMITS.endpoints)} endpoints, ${String(DEFAULT_IOC_LIMITS.files)} files per list, ${String(DEFAULT_IOC_LIMITS.commands)} commands)`
    )
  const tl = timelineModel(q, { buckets: 120, alertLimit: 1 })
  const alertEntries: TimelineEntry[] = rows.slice(0, TIMELINE_ALERTS).map((a) => ({
    ...instant(a.ts),
    kind: 'alert',
    priority: a.priority,
    rule: a.rule,
    text: a.output,
    upid: a.upid,
    num: a.num
  }))
  const key = keyEvents(files, conns.rows, procs, TIMELINE_KEY_EVENTS)
  const entries = [...alertEntries, ...key.entries].sort(
    (a, b) =>
      a.ts.length - b.ts.length || (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0) || (a.num ?? 0) - (b.num ?? 0)
  )
  const tlTruncated = key.truncated || rows.length > TIMELINE_ALERTS
  if (tlTruncated)
    warnings.push('the timeline lists the first alerts and key events only (see the findings for all)')

  // ---- summary ----
  const containers = containerInfo(q)
  const alertingProcs = [...alertsByUpid.entries()]
    .map(([upid, n]) => ({ node: procs.get(upid), n, upid }))
    .sort((a, b) => b.n - a.n || a.upid - b.upid)
  const containerIds = new Set<string>()
  const users = new Set<string>()
  for (const p of alertingProcs) {
    if (p.node?.container != null) containerIds.add(p.node.container)
    if (p.node !== undefined && p.node.user !== '') users.add(p.node.user)
  }
  const tactics = new Map<string, number>()
  for (const a of rows) {
    const k = a.tactic ?? ''
    tactics.set(k, (tactics.get(k) ?? 0) + 1)
  }
  const firstA = rows[0]
  const lastA = rows[rows.length - 1]
  const summary: Summary = {
    alerts: shownCount,
    alertsAll,
    byPriority,
    rulesFired: ruleOrder,
    byTactic: [...tactics.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => ({ tactic: k === '' ? null : tacticOf(k), count: n })),
    hosts: cap.hostname === '' ? [] : [cap.hostname],
    containers: [...containerIds].sort().map((id) => ({
      id,
      name: containers.get(id)?.name ?? null,
      image: containers.get(id)?.image ?? null
    })),
    users: [...users].sort(),
    processes: alertingProcs.slice(0, 50).map((p) => ({
      upid: p.upid,
      pid: p.node?.pid ?? -1,
      name: p.node?.name ?? '',
      cmdline: p.node?.cmdline ?? '',
      user: p.node?.user ?? '',
      container: p.node?.container ?? null,
      alerts: p.n
    })),
    firstSuspicious: firstA === undefined ? null : instant(firstA.ts),
    lastSuspicious: lastA === undefined ? null : instant(lastA.ts)
  }

  // ---- data quality ----
  const msgs = importMessages(q)
  const dataQuality: DataQuality = {
    complete: cap.complete,
    error: cap.error,
    drops: ov.drops,
    items: ov.importStats.map((s) => ({
      code: s.name,
      stage: msgs.get(s.name)?.source ?? '',
      severity: s.severity,
      count: s.count,
      message: msgs.get(s.name)?.message ?? null
    })),
    warnings
  }
  if (!cap.complete) warnings.unshift(`the capture could not be read to its end: ${cap.error ?? 'damaged'}`)
  if (ov.events === 0) warnings.unshift('the capture holds no events: its time range is unknown')

  // ---- extras: commands from shells, top I/O (the issue-8 read models) ----
  const io = ioIndexed(q)
  const cmds = commandsModel(q)
  const ioRef = (r: TopIoRow): IoRef => ({
    name: r.name,
    bytesRead: r.bytesRead,
    bytesWritten: r.bytesWritten,
    processes: [...new Set(r.upids.map((u) => procs.get(u)?.name ?? `upid ${String(u)}`))].sort(),
    proto: r.proto ?? null
  })
  const activity: ActivityExtras = {
    commands: cmds.slice(0, COMMAND_LIMIT).map((c) => ({
      ts: instant(c.ts),
      user: c.user,
      loginUser: c.loginUser,
      pid: c.pid,
      shellPid: c.shellPid,
      tty: c.tty,
      cmdline: c.cmdline,
      container: c.container
    })),
    commandsOmitted: Math.max(0, cmds.length - COMMAND_LIMIT),
    topFiles: io ? topFiles(q, 10).map(ioRef) : [],
    topConnections: io ? topConnections(q, 10).map(ioRef) : [],
    ioIndexed: io
  }
  if (!io) warnings.push('the index has no I/O byte counts (built by an older version): re-index to add them')
  if (cmds.length > COMMAND_LIMIT)
    warnings.push(`${String(cmds.length - COMMAND_LIMIT)} more commands run from shells are not listed`)

  // ---- appendix ----
  const fired = new Map(al.byRule.map((r) => [r.rule, r.count]))
  const appendix: AppendixRule[] = [...(ruleMeta ?? new Map<string, RuleMeta>()).entries()].map(
    ([name, m]) => ({
      name,
      priority: m.priority,
      tags: m.tags,
      ...mitreOf(m.tags),
      description: m.description,
      file: m.file,
      fired: fired.get(name) ?? 0
    })
  )

  // ---- Falco JSON lines ----
  const extras =
    runId === null ? new Map<number, { source: string; fields: string | null }>() : alertExtras(q, runId)
  const falcoJson = rows.map((a) => falcoJsonLine(a, extras.get(a.id), cap.hostname))

  const generated = options.generatedAt ?? new Date()
  return {
    schema: 'peregrine-incident-report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: options.title ?? `Incident report: ${cap.name}`,
    generatedAt: generated.toISOString(),
    tool: { name: 'peregrine', version: toolVersion() },
    rules,
    evidence: {
      name: cap.name,
      path: cap.path,
      sizeBytes: cap.size,
      sha256: cap.sha256,
      compressed: cap.compressed,
      formatVersion: cap.formatVersion,
      sections: cap.sections,
      hostname: cap.hostname,
      kernel: header.os !== null && header.os !== '' ? header.os : ov.kernel === '' ? null : ov.kernel,
      hardware: header.hardware !== null && header.hardware !== '' ? header.hardware : null,
      recorder: header.userappl !== null && header.userappl !== '' ? header.userappl : null,
      numCpus: cap.numCpus,
      memoryBytes: cap.memoryBytes,
      bootTime: instantOrNull(cap.bootTs),
      start: instant(ov.start),
      end: instant(ov.end),
      durationNs: nsBetween(ov.start, ov.end),
      events: ov.events,
      processes: ov.processes,
      threads: ov.threads,
      containers: ov.containers,
      indexedAt: cap.indexedAt,
      indexedBy: cap.toolVersion
    },
    dataQuality,
    summary,
    timeline: {
      from: instant(tl.window.from),
      to: instant(tl.window.to),
      bucketNs: tl.bucketNs,
      buckets: tl.buckets,
      entries,
      truncated: tlTruncated
    },
    findings,
    iocs,
    activity,
    appendix: { rules: appendix },
    notes: options.notes ?? null,
    falcoJson
  }
}
