/**
 * Read-model types shared by the query API, the HTTP server, Electron IPC and the renderer: the shapes the
 * UI shows. They are plain JSON (no bigint, no Date): timestamps are u64 ns since the epoch as decimal
 * strings, because they exceed 2^53; durations and offsets inside one capture are numbers of ns.
 */

/** u64 ns since the epoch, decimal string (e.g. "1568211234123456789"). */
export type TimeNs = string

/** Half-open window [from, to) of capture time. */
export interface TimeWindow {
  from: TimeNs
  to: TimeNs
}

export const PRIORITIES = [
  'EMERGENCY',
  'ALERT',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'NOTICE',
  'INFORMATIONAL',
  'DEBUG'
] as const
export type Priority = (typeof PRIORITIES)[number]

/** The timeline's stacking categories. */
export const CATEGORIES = ['process', 'file', 'network', 'other'] as const
export type Category = (typeof CATEGORIES)[number]

export interface Count<K extends string = string> {
  key: K
  count: number
}

// ---- capture and indexing -------------------------------------------------------------------------------

export type CapturePhase = 'none' | 'indexing' | 'ready' | 'failed' | 'cancelled'

export interface IndexProgress {
  bytesRead: number
  bytesTotal: number
  events: number
  eventsPerSec: number
  /** estimated seconds left, null while unknown */
  etaSec: number | null
}

export interface CaptureStatus {
  phase: CapturePhase
  /** the capture file (absolute path), null when none is open */
  path: string | null
  progress: IndexProgress | null
  error: string | null
  /** bumped on every (re)index and rules run, so views know to refetch */
  generation: number
}

export interface ImportStat {
  name: string
  severity: 'info' | 'warning' | 'error' | 'data-loss'
  count: number
}

export interface Overview {
  path: string
  sizeBytes: number
  sha256: string
  formatVersion: string
  hostname: string
  kernel: string
  numCpus: number
  start: TimeNs
  end: TimeNs
  /** the window the counts, alerts and top lists cover; null (or absent): the whole capture */
  window?: TimeWindow | null
  events: number
  processes: number
  threads: number
  containers: number
  drops: number
  anomalies: number
  importStats: ImportStat[]
  alerts: number
  alertsByPriority: Count<Priority>[]
  alertsByTactic: Count[]
  topProcesses: { upid: number; pid: number; name: string; events: number; alerts: number }[]
  topFiles: { path: string; count: number; sensitive: string | null }[]
  topEndpoints: { endpoint: string; count: number; loopback: boolean }[]
}

// ---- timeline -------------------------------------------------------------------------------------------

export interface TimelineBucket {
  /** bucket start */
  start: TimeNs
  process: number
  file: number
  network: number
  other: number
}

export interface TimelineAlert {
  id: number
  ts: TimeNs
  priority: Priority
  rule: string
}

export interface Timeline {
  window: TimeWindow
  /** width of every bucket in ns */
  bucketNs: number
  buckets: TimelineBucket[]
  alerts: TimelineAlert[]
}

// ---- processes ------------------------------------------------------------------------------------------

export interface ProcessNode {
  /** surrogate id (pids recycle) */
  upid: number
  parentUpid: number | null
  pid: number
  ppid: number
  name: string
  exe: string
  cmdline: string
  user: string
  container: string | null
  start: TimeNs | null
  end: TimeNs | null
  /** alert counts of this process by priority (no zero entries) */
  alerts: Count<Priority>[]
}

export interface ProcessTree {
  nodes: ProcessNode[]
  /** the process whose lineage (ancestors and descendants) was asked for, else null */
  focus: number | null
  /** true when nodes were cut at the limit */
  truncated: boolean
}

export interface ProcessInfo extends ProcessNode {
  cwd: string
  loginUser: string
  tty: number
  exitStatus: number | null
  threads: number
}

export interface ProcessDetail {
  process: ProcessInfo
  /** root first, the parent last */
  ancestors: ProcessNode[]
  children: ProcessNode[]
  files: FileRow[]
  connections: ConnectionRow[]
  alerts: AlertRow[]
  events: number
}

// ---- events ---------------------------------------------------------------------------------------------

export interface EventRow {
  num: number
  ts: TimeNs
  cpu: number
  dir: '>' | '<'
  type: string
  category: Category
  upid: number | null
  pid: number
  tid: number
  procName: string
  fdName: string | null
  res: string | null
  /** sysdig's rendered arguments (evt.info) */
  info: string
}

/** A filter that did not compile: where and why, for an inline error. */
export interface FilterProblem {
  code: string
  message: string
  /** character offsets into the filter text */
  start: number
  end: number
}

export type EventsPage =
  | { ok: true; rows: EventRow[]; offset: number; total: number; totalExact: boolean }
  | { ok: false; error: FilterProblem }

export interface EventsAround {
  target: number
  rows: EventRow[]
}

// ---- network and files ----------------------------------------------------------------------------------

export interface ConnectionRow {
  upid: number
  pid: number
  procName: string
  proto: string
  direction: 'in' | 'out' | 'unknown'
  /** both ends on loopback (or a unix socket) */
  loopback: boolean
  localAddr: string
  localPort: number
  remoteAddr: string
  remotePort: number
  /** sysdig's fd.name for the socket */
  tuple: string
  firstTs: TimeNs
  count: number
}

export interface Connections {
  rows: ConnectionRow[]
  byEndpoint: { endpoint: string; loopback: boolean; count: number; upids: number[] }[]
  truncated: boolean
}

export interface FileRow {
  path: string
  upid: number
  pid: number
  procName: string
  /** open/openat/creat/unlink/rename/chmod… */
  op: string
  /** 'r', 'w', 'rw', 'x' or '' */
  access: string
  ts: TimeNs
  res: string | null
  /** sensitivity class (credentials, ssh-keys, shell-history, etc-write, bin-write) or null */
  sensitive: string | null
}

export interface FileActivity {
  rows: FileRow[]
  byPath: { path: string; reads: number; writes: number; upids: number[]; sensitive: string | null }[]
  truncated: boolean
}

// ---- alerts ---------------------------------------------------------------------------------------------

export interface AlertRow {
  id: number
  rule: string
  priority: Priority
  output: string
  tags: string[]
  tactic: string | null
  ts: TimeNs
  /** triggering event number */
  num: number
  upid: number | null
  procName: string
}

export interface Alerts {
  rows: AlertRow[]
  byRule: { rule: string; priority: Priority; count: number }[]
  byPriority: Count<Priority>[]
  byTactic: Count[]
  truncated: boolean
}

export interface AlertDetail {
  alert: AlertRow
  event: EventRow | null
  /** the events around the triggering one (it included) */
  around: EventRow[]
  /** root first, the alert's process last */
  lineage: ProcessNode[]
}

// ---- search ---------------------------------------------------------------------------------------------

export interface SearchHit {
  kind: 'process' | 'file'
  upid: number | null
  text: string
}

// ---- rules ----------------------------------------------------------------------------------------------

export interface RuleProblem {
  file: string
  line: number
  column: number
  severity: 'error' | 'warning'
  message: string
}

export interface RuleInfo {
  name: string
  priority: Priority
  enabled: boolean
  file: string
  tags: string[]
}

export interface RulesState {
  /** custom: loaded from the UI (can be removed again) */
  files: { path: string; sha256: string; rules: number; custom: boolean }[]
  rules: RuleInfo[]
  problems: RuleProblem[]
  /** the latest run over this capture */
  lastRun: { alerts: number; durationMs: number } | null
}
