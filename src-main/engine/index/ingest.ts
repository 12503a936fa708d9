/**
 * Capture → index rows. One pass over the capture: the decoder hands each event to the state engine
 * (threads, processes, fds), then to the rules when a rule set is given, then here, where the event
 * becomes a lean `events` row (integers and interned strings), its parameters go to `event_raw` for lazy
 * rendering, and the families that matter to the views add rows to file_activity, connections and
 * io_chunks. Processes and threads are tracked by surrogate id and written at the end.
 */
import { basename } from 'node:path'
import { readCapture } from '../capture/read-capture'
import type { MachineInfo, ReadOptions, ReadSummary, UserEntry } from '../capture/capture-types'
import type { ScapEvent } from '../capture/scap-event'
import { nsDiff } from '../../common/time'
import { CAT_BY_FD, categoryForFd, categoryOfType } from './categories'
import type { ImportStatRow, ProcessRow, ThreadRow } from './writer'
import type { RowSink } from './row-sink'
import { createEventSink, type EventSink, type SinkFactory } from './event-sink'

export interface IngestOptions {
  signal?: AbortSignal
  /** bytes read so far, file size, events so far */
  onProgress?: (bytesRead: number, bytesTotal: number, events: number) => void
  /** which events the decoder numbers (see ReadOptions.eventSet); default 'sysdig0293' to match sysdig */
  eventSet?: ReadOptions['eventSet']
  /** store data snapshots of I/O events (io_chunks); default true */
  ioData?: boolean
  /** rule files to evaluate during the import (null/empty: none) */
  rules?: readonly string[] | null
  /** builds the state/rules part of the pipeline; default: createEventSink */
  sink?: SinkFactory
}

export interface ContainerRow {
  id: string
  name: string | null
  image: string | null
  type: string | null
  privileged: number | null
}

export interface IngestResult {
  path: string
  name: string
  sha256: string
  summary: ReadSummary
  machine: MachineInfo | null
  events: number
  /** decimal ns of the first event (origin of relative times), "0" when there is none */
  baseTs: string
  firstTs: number | null
  lastTs: number | null
  users: UserEntry[]
  containers: ContainerRow[]
  processes: ProcessRow[]
  threads: ThreadRow[]
  /** utid, from num, to num, name, exe, exepath, cmdline */
  threadNames: [number, number, number, string, string, string, string][]
  stats: ImportStatRow[]
  /** key section * SECTION_KEY + bucket * 4 + category → [events, first num, last num] */
  timeline: Map<number, [number, number, number]>
  fineBucketNs: number
  /** events sysdig prints */
  visibleEvents: number
  /** hidden events per event type id */
  hiddenByType: Record<number, number>
  eventSet: string
}

/** 1 ms fine buckets: any chart window wider than a few ms is answered from them. */
export const FINE_BUCKET_NS = 1_000_000
/** timeline key = section * SECTION_KEY + bucket * 4 + category (buckets stay far below 2^40 / 4) */
export const SECTION_KEY = 2 ** 40

export async function ingestCapture(
  w: RowSink,
  path: string,
  sha256: string,
  opts: IngestOptions
): Promise<IngestResult> {
  const sink: EventSink = (opts.sink ?? createEventSink)(w, {
    ioData: opts.ioData ?? true,
    rules: opts.rules ?? null
  })
  let machine: MachineInfo | null = null
  const users: UserEntry[] = []
  let baseHi = -1
  let baseLo = 0
  let firstTs: number | null = null
  let lastTs: number | null = null
  let prevTs = 0
  let section = 0
  let visible = 0
  const hiddenByType: Record<number, number> = {}
  let events = 0
  const timelines: Map<number, [number, number, number]>[] = []
  // per event-type id: category (CAT_BY_FD resolved per event)
  const typeCat: number[] = []
  const typeIdByKey = new Map<number, number>()
  let lastProgress = 0

  /** Relative time; events with a zero timestamp (old process-info) keep the previous event's time. */
  const relTime = (ev: ScapEvent): number => {
    if (ev.tsHi === 0 && ev.tsLo === 0) return prevTs
    if (baseHi < 0) {
      baseHi = ev.tsHi
      baseLo = ev.tsLo
    }
    prevTs = nsDiff(ev.tsHi, ev.tsLo, baseHi, baseLo)
    return prevTs
  }
  const eventSet = opts.eventSet ?? 'sysdig0293'
  const summary = await readCapture(
    path,
    {
      section: (shb) => {
        section = shb.index
        sink.section?.(shb)
      },
      machineInfo: (mi) => {
        machine ??= mi
        sink.machineInfo?.(mi)
      },
      thread: (t) => sink.thread?.(t),
      fd: (tid, fd) => sink.fd?.(tid, fd),
      user: (u) => {
        users.push(u)
        sink.user?.(u)
      },
      group: (g) => sink.group?.(g),
      iface: (i) => sink.iface?.(i),
      anomaly: (a) => sink.anomaly?.(a),
      progress: (read, size) => {
        opts.onProgress?.(read, size, events)
        lastProgress = read
      },
      event: (ev: ScapEvent) => {
        const ts = relTime(ev)
        const c = sink.event(ev, ts)
        if (c.drop) return undefined
        if (ev.tsHi !== 0 || ev.tsLo !== 0) {
          if (firstTs === null || ts < firstTs) firstTs = ts
          if (lastTs === null || ts > lastTs) lastTs = ts
        }
        // event type id: generic syscall events (codes 0/1) share a code, so they are keyed by name
        const key = ev.type <= 1 ? -1 : ev.type
        let etype = key < 0 ? undefined : typeIdByKey.get(key)
        if (etype === undefined) {
          const name = ev.typeName
          const cat = categoryOfType(name)
          etype = w.eventType(ev.type, name, ev.isEnter ? '>' : '<', cat)
          typeCat[etype] = cat
          if (key >= 0) typeIdByKey.set(key, etype)
        }
        let cat = typeCat[etype] ?? 0
        if (cat === CAT_BY_FD) cat = categoryForFd(cat, c.fdType)
        w.event(
          ev.num,
          ts,
          etype,
          ev.cpu,
          c.utid,
          c.upid,
          c.fd,
          c.fdName,
          c.fdType,
          ev.isEnter ? null : c.res,
          cat,
          c.hidden ? 1 : 0,
          c.tid
        )
        w.rawEvent(ev)
        if (!c.hidden) visible++
        else hiddenByType[etype] = (hiddenByType[etype] ?? 0) + 1
        if (!c.hidden) {
          // small-integer keys per section (a Map keyed by large doubles is much slower)
          const tk = Math.max(0, Math.floor(ts / FINE_BUCKET_NS)) * 4 + cat
          let tl = timelines[section]
          if (tl === undefined) timelines[section] = tl = new Map<number, [number, number, number]>()
          const b = tl.get(tk)
          if (b === undefined) tl.set(tk, [1, ev.num, ev.num])
          else {
            b[0]++
            if (ev.num < b[1]) b[1] = ev.num
            if (ev.num > b[2]) b[2] = ev.num
          }
        }
        events++
        return undefined
      }
    },
    { signal: opts.signal, eventSet }
  )
  opts.onProgress?.(lastProgress, summary.fileSize, events)
  w.finishRows()
  const end = sink.finish(lastTs ?? 0)
  w.commit()
  return {
    path,
    name: basename(path),
    sha256,
    summary,
    machine,
    events,
    baseTs: baseHi < 0 ? '0' : (BigInt(baseHi) * 4294967296n + BigInt(baseLo)).toString(),
    firstTs,
    lastTs,
    users,
    containers: end.containers,
    processes: end.processes,
    threads: end.threads,
    threadNames: end.threadNames,
    stats: end.stats,
    timeline: mergeTimelines(timelines),
    visibleEvents: visible,
    hiddenByType,
    fineBucketNs: FINE_BUCKET_NS,
    eventSet
  }
}

function mergeTimelines(per: Map<number, [number, number, number]>[]): Map<number, [number, number, number]> {
  const out = new Map<number, [number, number, number]>()
  per.forEach((m, section) => {
    for (const [k, v] of m) out.set(section * SECTION_KEY + k, v)
  })
  return out
}
