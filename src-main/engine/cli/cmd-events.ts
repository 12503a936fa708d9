/**
 * `peregrine events FILE [FILTER] [-p FORMAT] [--json] [--limit N]`: prints events like
 * `sysdig -r FILE [-p FORMAT] FILTER` (sysdig 0.29.3): same events shown and hidden, same order and evt.num,
 * same field text. Without -p, sysdig's default line. Output goes through a buffered writer.
 * Exit codes: 0 read fully; 1 damaged (what was read is printed, then the error with offset and block);
 * 2 unusable input or usage.
 */
import { statSync, writeSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import type { ReadSummary, SectionHeader } from '../capture/capture-types'
import type { ScapEvent } from '../capture/scap-event'
import { readCapture, readCaptureBuffer } from '../capture/read-capture'
import { EventContext, FIELDS } from '../fields'
import { encodeUtf8Escaped } from '../format'
import type { FieldValue } from '../filter/field-registry'
import { compileFilter, compileOutputFormat, FilterError } from '../filter'
import type { CompiledFormat, Predicate } from '../filter'
import { EventVisibility } from '../state/hidden-events'
import { StateEngine } from '../state/state-engine'
import { UsageError, flag, has, parseArgs } from './args'

const USAGE =
  'usage: peregrine events FILE [FILTER] [-p FORMAT] [--json] [--limit N] [--all-event-types]\n' +
  '  --all-event-types  deliver and number event types newer than sysdig 0.29.3 (current captures)\n'

/** sysdig's default output line (DEFAULT_OUTPUT_STR). */
export const DEFAULT_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info'

/** Writes big chunks to a file descriptor, waiting out EAGAIN on non-blocking pipes. */
export class ChunkWriter {
  private parts: string[] = []
  private size = 0
  constructor(
    private readonly fd: number,
    private readonly limit = 1 << 16
  ) {}

  write(s: string): void {
    this.parts.push(s)
    this.size += s.length
    if (this.size >= this.limit) this.flush()
  }

  flush(): void {
    if (this.parts.length === 0) return
    // Invalid UTF-8 bytes of the capture travel as lone surrogates: written back as the raw bytes, like sysdig.
    const buf = encodeUtf8Escaped(this.parts.join(''))
    this.parts = []
    this.size = 0
    let off = 0
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
          continue
        }
        if (code === 'EPIPE') return
        throw e
      }
    }
  }
}

export interface EventsOptions {
  filter?: string
  format?: string
  json?: boolean
  limit?: number
  /**
   * Number and deliver events as current libs do (every code < 454) instead of as sysdig 0.29.3 (which
   * skips codes it does not know): for captures written by current tools.
   */
  headEvents?: boolean
}

/** Where printed lines go (ChunkWriter for stdout; tests collect them in memory). */
export interface LineSink {
  write(s: string): void
}

/**
 * Reads a capture (a path, or its bytes) and prints its events to `out` as `sysdig -r` would; returns the
 * read summary. Throws FilterError on a bad filter or format.
 */
export async function printEvents(
  source: string | Buffer,
  o: EventsOptions,
  out: LineSink
): Promise<ReadSummary> {
  const state = new StateEngine()
  let pred: Predicate<EventContext> | undefined
  if (o.filter !== undefined && o.filter.trim() !== '') pred = compileFilter(o.filter, FIELDS)
  const fmt: CompiledFormat<EventContext> = compileOutputFormat(o.format ?? DEFAULT_FORMAT, FIELDS, {
    sysdigEscapes: true
  })
  const limit = o.limit ?? Infinity
  let printed = 0
  let ctx: EventContext | undefined
  const json = o.json === true
  const visibility = new EventVisibility()
  const visitor = {
    section(shb: SectionHeader): void {
      visibility.section(shb.index)
      state.section()
    },
    machineInfo: state.machineInfo.bind(state),
    thread: state.thread.bind(state),
    fd: state.fd.bind(state),
    user: state.user.bind(state),
    group: state.group.bind(state),
    iface: state.iface.bind(state),
    anomaly: state.anomaly.bind(state),
    event(ev: ScapEvent): boolean {
      const v = visibility.classify(ev)
      if (v === 'drop') return true
      state.process(ev)
      if (v === 'hide') return true
      ctx ??= new EventContext(state, ev)
      ctx.ev = ev
      if (pred !== undefined && !pred(ctx)) return true
      if (json) out.write(jsonLine(fmt, ctx) + '\n')
      else {
        const line = fmt.format(ctx)
        if (line === null) return true
        out.write(line + '\n')
      }
      printed++
      return printed < limit
    }
  }
  // reuseChunk: nothing here keeps ev.buf past the callback (the state engine copies what it stores).
  const opts = {
    eventSet: o.headEvents === true ? ('head' as const) : ('sysdig0293' as const),
    reuseChunk: true
  }
  return typeof source === 'string'
    ? readCapture(source, visitor, opts)
    : readCaptureBuffer(source, visitor, opts)
}

function jsonLine(fmt: CompiledFormat<EventContext>, ctx: EventContext): string {
  const o: Record<string, unknown> = {}
  for (const f of fmt.fields) {
    const v = f.get(ctx)
    o[f.name] = v === undefined ? null : jsonValue(v)
  }
  return JSON.stringify(o)
}

function jsonValue(v: FieldValue): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1')
  if (Array.isArray(v)) return v.map((x) => jsonValue(x as FieldValue))
  return v
}

/**
 * V8 tiering for this one-shot process: TurboFan otherwise compiles every function that gets warm, including
 * the per-section metadata code, and those compiles cost as much CPU (on V8's background threads) as the whole
 * main thread. A 2× larger interrupt budget leaves more of the warm-only code to the baseline tiers while
 * the per-event code still optimises within the first few thousand events. Measured on Node 20 with the
 * benchmark capture (medians of 7): main thread unchanged (~490 ms CPU), background threads 420 → 330 ms
 * CPU, wall unchanged (3× the budget saved more background CPU but started to cost main-thread time).
 * Node 20 only (V8 11.3): other V8 versions tier differently and were not measured.
 */
function tuneTiering(): void {
  if (process.versions.node.split('.')[0] === '20') setFlagsFromString('--interrupt-budget=135168')
}

export async function run(args: string[]): Promise<number> {
  tuneTiering()
  let file: string
  const o: EventsOptions = {}
  try {
    const p = parseArgs(args, {
      format: { names: ['-p', '--print'], value: true },
      json: { names: ['--json', '-j'] },
      limit: { names: ['--limit', '-n'], value: true },
      head: { names: ['--all-event-types'] },
      help: { names: ['-h', '--help'] }
    })
    if (has(p, 'help')) {
      process.stdout.write(USAGE)
      return 0
    }
    const pos = [...p.positional, ...p.rest]
    if (pos.length < 1) throw new UsageError('expected FILE')
    file = pos[0] as string
    if (pos.length > 1) o.filter = pos.slice(1).join(' ')
    o.format = flag(p, 'format')
    o.json = has(p, 'json')
    o.headEvents = has(p, 'head')
    const lim = flag(p, 'limit')
    if (lim !== undefined) {
      const n = Number(lim)
      if (!Number.isInteger(n) || n < 0) throw new UsageError('--limit needs a non-negative integer')
      o.limit = n
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`peregrine events: ${e.message}\n${USAGE}`)
    return 2
  }
  try {
    if (!statSync(file).isFile()) {
      process.stderr.write(`peregrine events: ${file}: not a regular file\n`)
      return 2
    }
  } catch (e) {
    process.stderr.write(`peregrine events: ${file}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  const out = new ChunkWriter(1)
  let summary: ReadSummary
  try {
    summary = await printEvents(file, o, out)
  } catch (e) {
    if (e instanceof FilterError) {
      process.stderr.write(`peregrine events: ${e.message}\n`)
      return 2
    }
    throw e
  } finally {
    out.flush()
  }
  const err = summary.error
  if (err === undefined) return 0
  const where = `at byte offset ${err.offset}${err.block === undefined ? '' : ` (block ${err.block})`}`
  process.stderr.write(`peregrine events: ${file}: ${err.code}: ${err.message} ${where}\n`)
  const c = err.code
  return c === 'not-a-capture' || c === 'io' || (c === 'unsupported' && summary.sections === 0) ? 2 : 1
}
