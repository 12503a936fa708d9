/** Test helper: a visitor that keeps everything the decoder hands out, events as plain records. */
import type {
  Anomaly,
  CaptureVisitor,
  FdEntry,
  GroupEntry,
  InterfaceEntry,
  MachineInfo,
  ProcEntry,
  ReadOptions,
  ReadSummary,
  SectionHeader,
  UserEntry
} from '../../src-main/engine/capture/capture-types'
import { readCapture, readCaptureBuffer } from '../../src-main/engine/capture/read-capture'
import type { ScapEvent } from '../../src-main/engine/capture/scap-event'
import { nsToString } from '../../src-main/common/time'

export interface EventRecord {
  num: number
  type: number
  name: string
  tid: number
  ts: string
  cpu: number
  dumpFlags: number
  nparams: number
  /** Parameter bytes as hex. */
  params: string[]
  fileOffset: number
  layoutLen: number
}

export interface Collected {
  summary: ReadSummary
  sections: SectionHeader[]
  machines: MachineInfo[]
  threads: ProcEntry[]
  fds: { tid: number; fd: FdEntry }[]
  users: UserEntry[]
  groups: GroupEntry[]
  ifaces: InterfaceEntry[]
  events: EventRecord[]
  anomalies: Anomaly[]
}

export function record(ev: ScapEvent): EventRecord {
  const params: string[] = []
  for (let i = 0; i < ev.nparams; i++) params.push(ev.bytes(i)?.toString('hex') ?? '')
  return {
    num: ev.num,
    type: ev.type,
    name: ev.typeName,
    tid: ev.tid,
    ts: nsToString(ev.tsHi, ev.tsLo),
    cpu: ev.cpu,
    dumpFlags: ev.dumpFlags,
    nparams: ev.nparams,
    params,
    fileOffset: ev.fileOffset,
    layoutLen: ev.layout.length
  }
}

function collector(stopAfter?: number): { v: CaptureVisitor; c: Omit<Collected, 'summary'> } {
  const c: Omit<Collected, 'summary'> = {
    sections: [],
    machines: [],
    threads: [],
    fds: [],
    users: [],
    groups: [],
    ifaces: [],
    events: [],
    anomalies: []
  }
  const v: CaptureVisitor = {
    section: (s) => c.sections.push(s),
    machineInfo: (m) => c.machines.push(m),
    thread: (t) => c.threads.push(t),
    fd: (tid, fd) => c.fds.push({ tid, fd }),
    user: (u) => c.users.push(u),
    group: (g) => c.groups.push(g),
    iface: (i) => c.ifaces.push(i),
    anomaly: (a) => c.anomalies.push(a),
    event: (ev) => {
      c.events.push(record(ev))
      return stopAfter === undefined || c.events.length < stopAfter
    }
  }
  return { v, c }
}

export async function collectBuffer(
  data: Buffer,
  opts: ReadOptions = {},
  stopAfter?: number
): Promise<Collected> {
  const { v, c } = collector(stopAfter)
  const summary = await readCaptureBuffer(data, v, opts)
  return { summary, ...c }
}

export async function collectFile(
  path: string,
  opts: ReadOptions = {},
  stopAfter?: number
): Promise<Collected> {
  const { v, c } = collector(stopAfter)
  const summary = await readCapture(path, v, opts)
  return { summary, ...c }
}
