/**
 * The per-event part of ingestion that needs state: which thread and process an event belongs to, the fd it
 * refers to and that fd's name and type, and the rows of file activity, connections and I/O it implies.
 * `createEventSink` is the real pipeline (state engine + rules); the interface keeps ingest.ts independent
 * of how that is put together.
 */
import type {
  Anomaly,
  FdEntry,
  GroupEntry,
  InterfaceEntry,
  MachineInfo,
  ProcEntry,
  SectionHeader,
  UserEntry
} from '../capture/capture-types'
import type { ScapEvent } from '../capture/scap-event'
import type { ContainerRow } from './ingest'
import type { ImportStatRow, ProcessRow, ThreadRow } from './writer'
import type { RowSink } from './row-sink'

/** What ingest needs to know about one event (one object, reused for every event). */
export interface EventContextOut {
  utid: number | null
  upid: number | null
  fd: number | null
  /** strings id of fd.name */
  fdName: number | null
  /** fd.typechar as a char code */
  fdType: number | null
  res: number | null
  /** the header tid when it is not the thread's (utid's) tid, e.g. the event has no thread; else null */
  tid: number | null
  /** internal event sysdig does not print */
  hidden: boolean
  /** an event sysdig skips entirely (not numbered): not indexed */
  drop: boolean
}

export interface SinkEnd {
  processes: ProcessRow[]
  threads: ThreadRow[]
  /** utid, from num, to num, name, exe, exepath, cmdline */
  threadNames: [number, number, number, string, string, string, string][]
  containers: ContainerRow[]
  stats: ImportStatRow[]
}

export interface EventSink {
  section?(shb: SectionHeader): void
  machineInfo?(mi: MachineInfo): void
  thread?(t: ProcEntry): void
  fd?(tid: number, fd: FdEntry): void
  user?(u: UserEntry): void
  group?(g: GroupEntry): void
  iface?(i: InterfaceEntry): void
  anomaly?(a: Anomaly): void
  /** Called for every event in order; `ts` is relative to the index origin. */
  event(ev: ScapEvent, ts: number): EventContextOut
  finish(lastTs: number): SinkEnd
}

export interface SinkOptions {
  ioData: boolean
  rules: readonly string[] | null
}

export type SinkFactory = (w: RowSink, opts: SinkOptions) => EventSink

export { createEventSink } from './pipeline-sink'
