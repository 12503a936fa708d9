/**
 * Runs a ruleset over a capture: decoder → state engine → rules, on every event the capture holds (enter and
 * exit alike, as Falco does when it replays a capture), and hands out each alert with its text and JSON lines.
 */
import type { CaptureVisitor, ReadOptions, ReadSummary } from '../capture/capture-types'
import { readCapture } from '../capture/read-capture'
import type { ScapEvent } from '../capture/scap-event'
import { EventContext } from '../fields/event-context'
import { StateEngine } from '../state/state-engine'
import type { AlertLineOptions, AlertRecord } from './alert-output'
import { jsonLine, renderAlert, textLine } from './alert-output'
import type { CompiledRule, Ruleset } from './ruleset'

/** libs' internal process-info event: never delivered to consumers (sysdig hides it, Falco never sees it). */
const PROCINFO_E = 234
/** EVF dump flag: the event only updates state; libsinsp does not hand it to consumers. */
const DF_STATE_ONLY = 1
/** Event types sysdig numbers but never prints (internal/meta events). */
const HIDDEN_TYPES = new Uint8Array(1024)
for (const c of [234, 235, 196, 197, 260, 261, 270, 271, 280, 281, 286, 287]) HIDDEN_TYPES[c] = 1
/** Container descriptions: at the head of a capture libsinsp consumes them as initial state (not delivered). */
const CONTAINER_TYPES = new Uint8Array(1024)
for (const c of [228, 272, 324]) CONTAINER_TYPES[c] = 1

export interface Alert extends AlertRecord {
  evtNum: number
  /** The event is one `sysdig -r` does not print (container/meta events): Falco still evaluates it. */
  hidden: boolean
  text: string
  json: string
}

export interface ScanOptions extends AlertLineOptions {
  /** Which event codes the decoder delivers (see ReadOptions.eventSet). */
  eventSet?: ReadOptions['eventSet']
  signal?: AbortSignal
  /** Skip building text/JSON lines (counting only). */
  countOnly?: boolean
}

export interface ScanResult {
  summary: ReadSummary
  events: number
  alerts: number
  byRule: Map<string, number>
}

/** The state engine as a capture visitor that also runs the rules on each event. */
export class RuleScanner implements CaptureVisitor {
  readonly state = new StateEngine()
  private readonly ctx: EventContext
  events = 0
  alerts = 0
  readonly byRule = new Map<string, number>()
  private current: ScapEvent | undefined
  private readonly raise: (r: CompiledRule<EventContext>) => void

  constructor(
    private readonly ruleset: Ruleset<EventContext>,
    private readonly onAlert: (a: Alert) => void,
    private readonly opts: ScanOptions = {}
  ) {
    this.ctx = new EventContext(this.state, undefined as unknown as ScapEvent)
    this.raise = (r) => {
      this.alerts++
      this.byRule.set(r.name, (this.byRule.get(r.name) ?? 0) + 1)
      const ev = this.current
      if (ev === undefined) return
      const time = { tsHi: ev.tsHi, tsLo: ev.tsLo }
      if (this.opts.countOnly === true) {
        this.onAlert({
          rule: r.name,
          priority: r.priority,
          tags: r.tags,
          source: r.source,
          time,
          message: '',
          outputFieldsJson: '{}',
          evtNum: ev.num,
          hidden: this.hidden,
          text: '',
          json: ''
        })
        return
      }
      // Falco names the host it runs on; for a recorded capture that is the machine that was recorded.
      const lo: AlertLineOptions =
        this.opts.hostname !== undefined
          ? this.opts
          : { ...this.opts, hostname: this.state.machine?.hostname ?? '' }
      const { message, outputFieldsJson } = renderAlert(r.output, this.ctx, time, lo)
      const rec: AlertRecord = {
        rule: r.name,
        priority: r.priority,
        tags: r.tags,
        source: r.source,
        time,
        message,
        outputFieldsJson
      }
      this.onAlert({
        ...rec,
        evtNum: ev.num,
        hidden: this.hidden,
        text: textLine(time, r.priority, message, lo),
        json: jsonLine(rec, lo)
      })
    }
  }

  section = this.state.section.bind(this.state)
  machineInfo = this.state.machineInfo.bind(this.state)
  thread = this.state.thread.bind(this.state)
  fd = this.state.fd.bind(this.state)
  user = this.state.user.bind(this.state)
  group = this.state.group.bind(this.state)
  iface = this.state.iface.bind(this.state)
  anomaly = this.state.anomaly.bind(this.state)

  private leading = true
  private hidden = false

  event(ev: ScapEvent): boolean {
    this.state.process(ev)
    if (this.leading && CONTAINER_TYPES[ev.type] !== 1) this.leading = false
    if (ev.type === PROCINFO_E || (ev.dumpFlags & DF_STATE_ONLY) !== 0 || this.leading) return true
    this.hidden = HIDDEN_TYPES[ev.type] === 1
    this.events++
    this.current = ev
    this.ctx.ev = ev
    this.ruleset.evaluate(ev.type, this.ctx, this.raise)
    return true
  }
}

export async function scanCapture(
  path: string,
  ruleset: Ruleset<EventContext>,
  onAlert: (a: Alert) => void,
  opts: ScanOptions = {}
): Promise<ScanResult> {
  const scanner = new RuleScanner(ruleset, onAlert, opts)
  const ro: ReadOptions = {}
  if (opts.eventSet !== undefined) ro.eventSet = opts.eventSet
  if (opts.signal !== undefined) ro.signal = opts.signal
  const summary = await readCapture(path, scanner, ro)
  return { summary, events: scanner.events, alerts: scanner.alerts, byRule: scanner.byRule }
}
