/**
 * The one contract between the UI and the engine, used three ways: Electron IPC (preload exposes a client
 * built from CHANNELS, main validates every call against it), the HTTP API of `peregrine serve`
 * (POST /api/<channel>) and the renderer's client. Every channel has a name, an argument validator
 * (hand-written: arguments come from an untrusted renderer), a result type and whether it reads or writes.
 */
import type {
  AlertDetail,
  Alerts,
  CaptureStatus,
  Connections,
  EventsAround,
  EventsPage,
  FileActivity,
  FilterProblem,
  Overview,
  ProcessDetail,
  ProcessTree,
  RulesState,
  SearchHit,
  Timeline,
  TimeWindow
} from './model/types'
import type { CommandRow, ErrorGroup, Stream, TopIo } from './model/drilldown'

export class ContractError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ContractError'
  }
}

/** A validator returns the value typed, or throws ContractError naming the offending path. */
export type Validator<T> = (v: unknown, path: string) => T

const MAX_TEXT = 1 << 20

export function vString(max = MAX_TEXT): Validator<string> {
  return (v, path) => {
    if (typeof v !== 'string') throw new ContractError(`${path}: expected a string`)
    if (v.length > max) throw new ContractError(`${path}: longer than ${max}`)
    return v
  }
}

export function vInt(min: number, max: number): Validator<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ContractError(`${path}: expected an integer`)
    if (v < min || v > max) throw new ContractError(`${path}: out of range [${min}, ${max}]`)
    return v
  }
}

export function vEnum<T extends string>(values: readonly T[]): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw new ContractError(`${path}: expected one of ${values.join(', ')}`)
    return v as T
  }
}

export const vBool: Validator<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ContractError(`${path}: expected a boolean`)
  return v
}

/** u64 ns as a decimal string. */
export const vTimeNs: Validator<string> = (v, path) => {
  const s = vString(20)(v, path)
  if (!/^\d{1,20}$/.test(s)) throw new ContractError(`${path}: expected a decimal ns timestamp`)
  return s
}

export function vNullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v, path) => (v === null || v === undefined ? null : inner(v, path))
}

type Shape<T> = { [K in keyof T]: Validator<T[K]> }

/** A plain object with exactly these keys (absent keys are passed as undefined to their validator). */
export function vObject<T>(shape: Shape<T>): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new ContractError(`${path}: expected an object`)
    const rec = v as Record<string, unknown>
    for (const k of Object.keys(rec))
      if (!Object.prototype.hasOwnProperty.call(shape, k))
        throw new ContractError(`${path}.${k}: unknown key`)
    const out: Partial<T> = {}
    for (const k of Object.keys(shape) as (keyof T & string)[]) out[k] = shape[k](rec[k], `${path}.${k}`)
    return out as T
  }
}

export const vWindow: Validator<TimeWindow | null> = vNullable(
  vObject<TimeWindow>({ from: vTimeNs, to: vTimeNs })
)

const vUpid = vInt(0, 2 ** 31)
const vUpidOrNull = vNullable(vUpid)

export const REPORT_FORMATS = ['html', 'md', 'json', 'pdf'] as const
export type ReportFormatName = (typeof REPORT_FORMATS)[number]

/** The analyst's title and notes for the report of the open capture (kept with its index). */
export interface AnalystNotes {
  title: string
  notes: string
}

/** A rendered report: what to call the file and its content (PDF travels as base64). */
export interface ReportFile {
  filename: string
  mime: string
  encoding: 'utf8' | 'base64'
  text: string
}

// ---- argument types

export interface StreamArgs {
  name: string | null
  pid: number | null
  fd: number | null
  limit: number
}

export type NoArgs = Record<string, never>
export interface WindowArgs {
  window: TimeWindow | null
}
export interface TimelineArgs extends WindowArgs {
  /** how many buckets the chart wants */
  buckets: number
}
export interface ProcessTreeArgs extends WindowArgs {
  /** show only this process's ancestors and descendants */
  focus: number | null
}
export interface EventsArgs extends WindowArgs {
  filter: string
  upid: number | null
  offset: number
  limit: number
  /** compute the exact total (costs a count over the match); false: total is a lower bound */
  count: boolean
}

/** overview: no arguments (the whole capture) or a window restricting its counts, alerts and top lists */
export interface OverviewArgs {
  window?: TimeWindow | null
}

const vOverviewArgs: Validator<OverviewArgs> = (v, path) =>
  v === undefined || v === null ? { window: null } : vObject<OverviewArgs>({ window: vWindow })(v, path)

const vNoArgs: Validator<NoArgs> = (v, path) => {
  if (v !== undefined && v !== null) vObject<NoArgs>({})(v, path)
  return {}
}

// ---- the channels ---------------------------------------------------------------------------------------

/** Result type of each channel (the validators below give the argument types). */
export interface Results {
  'capture.status': CaptureStatus
  'capture.open': CaptureStatus
  'capture.cancel': CaptureStatus
  overview: Overview
  timeline: Timeline
  'process.tree': ProcessTree
  'process.detail': ProcessDetail
  events: EventsPage
  'events.around': EventsAround
  'filter.check': FilterProblem | null
  connections: Connections
  files: FileActivity
  alerts: Alerts
  'alert.detail': AlertDetail
  search: SearchHit[]
  'rules.list': RulesState
  'rules.setEnabled': RulesState
  'rules.loadText': RulesState
  'rules.removeFile': RulesState
  'rules.run': RulesState
  'report.export': ReportFile
  'report.notes': AnalystNotes
  'report.setNotes': AnalystNotes
  'io.stream': Stream
  'io.commands': CommandRow[]
  'io.errors': ErrorGroup[]
  'io.top': TopIo
}

export type Channel = keyof Results

interface ChannelSpec<A> {
  kind: 'read' | 'write'
  args: Validator<A>
}

function ch<A>(kind: 'read' | 'write', args: Validator<A>): ChannelSpec<A> {
  return { kind, args }
}

export const CHANNELS = {
  'capture.status': ch('read', vNoArgs),
  /** Electron only: open another capture (the server serves one fixed file) */
  'capture.open': ch('write', vObject<{ path: string }>({ path: vString(4096) })),
  'capture.cancel': ch('write', vNoArgs),
  overview: ch('read', vOverviewArgs),
  timeline: ch('read', vObject<TimelineArgs>({ window: vWindow, buckets: vInt(1, 2000) })),
  'process.tree': ch('read', vObject<ProcessTreeArgs>({ window: vWindow, focus: vUpidOrNull })),
  'process.detail': ch('read', vObject<{ upid: number }>({ upid: vUpid })),
  events: ch(
    'read',
    vObject<EventsArgs>({
      window: vWindow,
      filter: vString(10_000),
      upid: vUpidOrNull,
      offset: vInt(0, 2 ** 40),
      limit: vInt(1, 5000),
      count: vBool
    })
  ),
  'events.around': ch(
    'read',
    vObject<{ num: number; before: number; after: number }>({
      num: vInt(0, 2 ** 40),
      before: vInt(0, 500),
      after: vInt(0, 500)
    })
  ),
  'filter.check': ch('read', vObject<{ filter: string }>({ filter: vString(10_000) })),
  connections: ch('read', vObject<WindowArgs>({ window: vWindow })),
  files: ch('read', vObject<WindowArgs>({ window: vWindow })),
  alerts: ch('read', vObject<WindowArgs>({ window: vWindow })),
  'alert.detail': ch('read', vObject<{ id: number }>({ id: vInt(0, 2 ** 40) })),
  search: ch('read', vObject<{ text: string; limit: number }>({ text: vString(1000), limit: vInt(1, 1000) })),
  'rules.list': ch('read', vNoArgs),
  'rules.setEnabled': ch(
    'write',
    vObject<{ name: string; enabled: boolean }>({ name: vString(1000), enabled: vBool })
  ),
  /** a custom rules file by content (the browser cannot pass a path); name is shown in errors */
  'rules.loadText': ch(
    'write',
    vObject<{ name: string; text: string }>({ name: vString(255), text: vString(8 << 20) })
  ),
  /** drops a custom rules file loaded with rules.loadText (path as rules.list shows it) */
  'rules.removeFile': ch('write', vObject<{ path: string }>({ path: vString(4096) })),
  'rules.run': ch('write', vNoArgs),
  /** the incident report of the open capture, rendered (the UI saves it) */
  'report.export': ch('read', vObject<{ format: ReportFormatName }>({ format: vEnum(REPORT_FORMATS) })),
  'report.notes': ch('read', vNoArgs),
  /** saved with the capture's index; every later report carries them */
  'report.setNotes': ch('write', vObject<AnalystNotes>({ title: vString(500), notes: vString(1 << 20) })),
  /** the data of one fd: by name (file path or connection tuple) or by pid and fd number */
  'io.stream': ch(
    'read',
    vObject<StreamArgs>({
      name: vNullable(vString(4096)),
      pid: vNullable(vInt(-1, 2 ** 31)),
      fd: vNullable(vInt(-1, 2 ** 31)),
      limit: vInt(1, 100_000)
    })
  ),
  'io.commands': ch('read', vNoArgs),
  'io.errors': ch('read', vNoArgs),
  'io.top': ch('read', vObject<{ limit: number }>({ limit: vInt(1, 1000) }))
} satisfies { [C in Channel]: ChannelSpec<unknown> }

export type Args<C extends Channel> = (typeof CHANNELS)[C] extends ChannelSpec<infer A> ? A : never

export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[]

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(CHANNELS, name)
}

/** Validates the arguments of a call to `name` (throws ContractError). */
export function validateArgs<C extends Channel>(name: C, args: unknown): Args<C> {
  const spec = CHANNELS[name] as ChannelSpec<Args<C>>
  return spec.args(args, name)
}

/** The engine side: one async function per channel. Main's IPC handlers and the HTTP server call these. */
export type EngineApi = { [C in Channel]: (args: Args<C>) => Promise<Results[C]> }

/** The renderer side: what preload exposes as `window.peregrine` and what the HTTP client implements. */
export interface PeregrineClient {
  call<C extends Channel>(name: C, args: Args<C>): Promise<Results[C]>
}

/** Wire format of a reply (IPC and HTTP): errors travel as data so the renderer can show them. */
export type Reply<T> = { ok: true; result: T } | { ok: false; error: string; code: 'contract' | 'engine' }

/**
 * One call as every host answers it (Electron IPC, HTTP, the engine child): validate the arguments, run
 * the engine function, and turn any error into data — `contract` when the call was refused, `engine` when
 * it failed.
 */
export async function dispatch(api: EngineApi, name: Channel, raw: unknown): Promise<Reply<unknown>> {
  try {
    const args = validateArgs(name, raw)
    const fn = api[name] as (a: typeof args) => Promise<unknown>
    return { ok: true, result: await fn(args) }
  } catch (e) {
    return refusal(e)
  }
}

/** An error as a reply. */
export function refusal(e: unknown): Reply<never> {
  return {
    ok: false,
    error: e instanceof Error ? e.message : String(e),
    code: e instanceof ContractError ? 'contract' : 'engine'
  }
}

/**
 * Wire format between Electron main and the engine child process (Node IPC channel): main sends a call,
 * the child answers with the same id and the reply `dispatch` gave.
 */
export interface EngineCall {
  id: number
  channel: string
  args: unknown
}

export interface EngineAnswer {
  id: number
  reply: Reply<unknown>
}

/** Electron IPC channel name for a contract channel. */
export function ipcName(name: Channel): string {
  return `peregrine:${name}`
}
