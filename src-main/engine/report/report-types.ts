/**
 * The incident report as data: what `buildReport` assembles from the query API and every renderer (JSON,
 * Markdown, HTML) prints. Plain JSON: times are u64 ns since the epoch as decimal strings (`ts`), with the
 * same instant as UTC text (`utc`, ISO 8601 with nanoseconds). docs/report.schema.json describes this shape;
 * bump REPORT_SCHEMA_VERSION when it changes incompatibly.
 */
import type { Category, Count, Priority } from '../../common/model/types'

export const REPORT_SCHEMA_VERSION = 1

/** An instant: ns since the epoch (decimal string) and its UTC text. */
export interface Instant {
  ts: string
  utc: string
}

export interface ReportTactic {
  tag: string
  id: string | null
  name: string
}

export interface ReportTechnique {
  id: string
  name: string | null
  /** "T1059.004 Command and Scripting Interpreter: Unix Shell" */
  label: string
}

export interface RuleFile {
  path: string
  /** SHA-256 recorded when the rules ran */
  sha256: string
  /** true when the file on disk still has that hash; false when it changed or is gone */
  unchanged: boolean
}

export interface ReportRules {
  /** the rules run the report shows; null when the capture was indexed without rules */
  runId: number | null
  status: string | null
  startedAt: string | null
  files: RuleFile[]
  rulesLoaded: number
  rulesEnabled: number
  eventsEvaluated: number
  /** alerts below this priority are left out of the report; null: all priorities */
  minPriority: Priority | null
  diagnostics: { severity: string; message: string; file: string; line: number | null }[]
}

export interface Evidence {
  name: string
  path: string
  sizeBytes: number
  sha256: string
  compressed: boolean
  formatVersion: string
  sections: number
  hostname: string
  /** operating system / kernel text from the section header, null when the capture does not say */
  kernel: string | null
  hardware: string | null
  /** the application that wrote the capture (section header shb_userappl), null when not recorded */
  recorder: string | null
  numCpus: number
  memoryBytes: number | null
  bootTime: Instant | null
  start: Instant
  end: Instant
  /** end - start in ns, decimal */
  durationNs: string
  events: number
  processes: number
  threads: number
  containers: number
  /** when and by which version the index the report was built from was made */
  indexedAt: string | null
  indexedBy: string | null
}

export interface QualityItem {
  code: string
  stage: string
  severity: 'info' | 'warning' | 'error' | 'data-loss'
  count: number
  message: string | null
}

export interface DataQuality {
  /** false when the decoder stopped at damage: everything after it is missing */
  complete: boolean
  error: string | null
  drops: number
  /** every import counter, none left out */
  items: QualityItem[]
  /** report-level warnings: truncated lists, changed rule files, missing data */
  warnings: string[]
}

export interface ProcessRef {
  upid: number
  pid: number
  name: string
  cmdline: string
  user: string
  container: string | null
  alerts: number
}

export interface ContainerRef {
  id: string
  name: string | null
  image: string | null
}

export interface Summary {
  /** alerts at or above the minimum priority */
  alerts: number
  /** all alerts of the run, before the priority filter */
  alertsAll: number
  byPriority: Count<Priority>[]
  rulesFired: { rule: string; priority: Priority; count: number }[]
  byTactic: { tactic: ReportTactic | null; count: number }[]
  hosts: string[]
  containers: ContainerRef[]
  users: string[]
  processes: ProcessRef[]
  firstSuspicious: Instant | null
  lastSuspicious: Instant | null
}

export interface TimelineEntry extends Instant {
  kind: 'alert' | 'exec' | 'connect' | 'file'
  priority: Priority | null
  rule: string | null
  text: string
  upid: number | null
  /** event number (evt.num) */
  num: number | null
}

export interface ReportTimeline {
  from: Instant
  to: Instant
  bucketNs: number
  buckets: ({ start: string } & Record<Category, number>)[]
  entries: TimelineEntry[]
  truncated: boolean
}

export interface ReportAlert extends Instant {
  id: number
  priority: Priority
  output: string
  num: number
  upid: number | null
  procName: string
}

export interface ReportEvent extends Instant {
  num: number
  dir: string
  type: string
  cpu: number
  pid: number
  tid: number
  procName: string
  fdName: string | null
  res: string | null
  info: string
}

export interface LineageNode {
  upid: number
  parentUpid: number | null
  pid: number
  name: string
  exe: string
  cmdline: string
  user: string
  container: string | null
  start: Instant | null
  /** the process raised at least one alert of this finding */
  alerting: boolean
}

export interface FileActivityRef extends Instant {
  path: string
  op: string
  access: string
  pid: number
  procName: string
  res: string | null
  sensitive: string | null
}

export interface NetworkActivityRef extends Instant {
  proto: string
  direction: string
  tuple: string
  remoteAddr: string
  remotePort: number
  loopback: boolean
  pid: number
  procName: string
  count: number
}

export interface Finding {
  rule: string
  priority: Priority
  description: string | null
  tags: string[]
  tactics: ReportTactic[]
  techniques: ReportTechnique[]
  count: number
  first: Instant
  last: Instant
  alerts: ReportAlert[]
  /** more alerts than listed */
  alertsOmitted: number
  /** the triggering events of the listed alerts */
  events: ReportEvent[]
  /** the alerting processes and their ancestors, a forest in parent-before-child order */
  lineage: LineageNode[]
  files: FileActivityRef[]
  /** related file operations not listed (plain reads of libraries and the like) */
  filesOmitted: number
  network: NetworkActivityRef[]
  networkOmitted: number
}

export interface Iocs {
  remoteEndpoints: {
    address: string
    port: number
    proto: string
    direction: string
    loopback: boolean
    processes: string[]
    count: number
    first: Instant
  }[]
  filesWritten: { path: string; writes: number; processes: string[]; sensitive: string | null }[]
  filesExecuted: { path: string; processes: string[]; first: Instant }[]
  sensitiveFilesRead: { path: string; reads: number; processes: string[]; sensitive: string }[]
  commands: {
    cmdline: string
    pid: number
    upid: number
    user: string
    container: string | null
    ts: Instant | null
    alerting: boolean
  }[]
  truncated: boolean
}

export interface IoRef {
  name: string
  bytesRead: number
  bytesWritten: number
  processes: string[]
  /** tcp/udp for connections, null for files */
  proto: string | null
}

export interface ActivityExtras {
  /** commands run from shells (execve by a direct child of a shell), as sysdig's spy_users lists them */
  commands: {
    ts: Instant
    user: string
    loginUser: string
    pid: number
    shellPid: number
    tty: number
    cmdline: string
    container: string | null
  }[]
  commandsOmitted: number
  /** files by bytes read + written (topfiles_bytes) */
  topFiles: IoRef[]
  /** connections by bytes (topconns) */
  topConnections: IoRef[]
  /** false when the index predates I/O byte counts (re-index to fill them) */
  ioIndexed: boolean
}

export interface AppendixRule {
  name: string
  priority: Priority
  tags: string[]
  tactics: ReportTactic[]
  techniques: ReportTechnique[]
  description: string | null
  file: string | null
  fired: number
}

export interface IncidentReport {
  schema: 'peregrine-incident-report'
  schemaVersion: number
  title: string
  generatedAt: string
  tool: { name: 'peregrine'; version: string }
  rules: ReportRules
  evidence: Evidence
  dataQuality: DataQuality
  summary: Summary
  timeline: ReportTimeline
  findings: Finding[]
  iocs: Iocs
  activity: ActivityExtras
  appendix: { rules: AppendixRule[] }
  notes: string | null
  /** every alert shown as one Falco JSON output line (time_format_iso_8601 style), for Falcosidekick or a SIEM */
  falcoJson: string[]
}
