/**
 * The import's writes, sent to a writer thread (writer-thread.ts) that owns the SQLite database: decoding,
 * state and rules run on one core while SQLite inserts run on another. Calls are recorded in order — events
 * as rows of a Float64Array (NaN for NULL), everything else as small op tuples — and sent in batches of
 * BATCH events. Strings and event types get their ids here, in call order; the writer thread assigns the
 * same ids by replaying the calls in the same order (and checks it). When the writer falls more than
 * MAX_IN_FLIGHT batches behind, the import waits (Atomics.wait), so memory stays bounded.
 */
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ScapEvent } from '../capture/scap-event'
import { RawChunker } from './raw-events'
import type { FdIoRow, RowSink } from './row-sink'
import type { RunInfo } from './rules-prepare'
import type { AlertRowIn, ConnectionRowIn, FileActivityRow } from './writer'
import type { IngestResult } from './ingest'

export const EVENT_FIELDS = 13
export const BATCH = 8192
const MAX_IN_FLIGHT = 8
/** event rows travel through a ring of shared slots (no allocation, no copy); a slot is reused once applied */
export const RING_SLOTS = MAX_IN_FLIGHT + 1
const SLOT_BYTES = BATCH * EVENT_FIELDS * 8

export type Op =
  | ['s', string]
  | ['t', number, string, string, number]
  | ['r', number, Buffer]
  | ['f', FileActivityRow]
  | ['c', ConnectionRowIn]
  | [
      'i',
      number,
      number,
      number | null,
      number | null,
      number,
      number | null,
      number | null,
      0 | 1,
      number,
      Buffer | null
    ]
  | ['a', AlertRowIn]
  | ['fd', FdIoRow[]]
  | ['rs', RunInfo]
  | ['rf', number, RunInfo, number, number]
  | ['fin']

export type ToWriter =
  | { type: 'open'; path: string; pid: number; flow: SharedArrayBuffer; ring: SharedArrayBuffer }
  | { type: 'batch'; ops: Op[]; slot: number; count: number }
  | { type: 'finalize'; ingest: IngestResult; buildMs: number }

export type FromWriter = { type: 'ready' } | { type: 'done' } | { type: 'error'; message: string }

/** The compiled writer thread script, or null when running from TypeScript sources (then: same thread). */
export function writerScript(): string | null {
  if (!__filename.endsWith('.js')) return null
  const p = join(__dirname, 'writer-thread.js')
  return existsSync(p) ? p : null
}

export class RemoteWriter implements RowSink {
  private readonly strings = new Map<string, number>()
  private readonly types = new Map<string, number>()
  private ops: Op[] = []
  private readonly ring = new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES)
  private events = new Float64Array(this.ring, 0, BATCH * EVENT_FIELDS)
  private count = 0
  private runs = 0
  private sent = 0
  private readonly flow = new SharedArrayBuffer(8)
  /** [0] batches applied by the writer */
  private readonly applied = new Int32Array(this.flow)
  private failure: Error | null = null
  private readonly raw: RawChunker
  private finished: { resolve: () => void; reject: (e: Error) => void } | null = null

  private constructor(private readonly worker: Worker) {
    this.raw = new RawChunker((first, _n, buf) => {
      this.ops.push(['r', first, buf])
    })
    worker.on('message', (m: FromWriter) => {
      if (m.type === 'error') this.fail(new Error(`index writer: ${m.message}`))
      else if (m.type === 'done') this.finished?.resolve()
    })
    worker.on('error', (e) => {
      this.fail(e)
    })
    worker.on('exit', (code) => {
      if (this.finished !== null || code !== 0) this.fail(new Error(`index writer exited (${code})`))
    })
  }

  private fail(e: Error): void {
    this.failure ??= e
    this.finished?.reject(e)
    Atomics.store(this.applied, 0, 1 << 30) // wake and release any waiting import
  }

  /** Starts the writer thread on a new build database at `path`. */
  static async open(script: string, path: string): Promise<RemoteWriter> {
    const w = new RemoteWriter(new Worker(script))
    const ready = new Promise<void>((res, rej) => {
      w.worker.once('message', (m: FromWriter) => {
        if (m.type === 'ready') res()
        else rej(new Error(m.type === 'error' ? m.message : 'index writer did not start'))
      })
    })
    const msg: ToWriter = { type: 'open', path, pid: process.pid, flow: w.flow, ring: w.ring }
    w.worker.postMessage(msg)
    await ready
    return w
  }

  private check(): void {
    if (this.failure !== null) throw this.failure
  }

  intern(s: string): number {
    let id = this.strings.get(s)
    if (id === undefined) {
      id = this.strings.size + 1
      this.strings.set(s, id)
      this.ops.push(['s', s])
    }
    return id
  }

  internOrNull(s: string | null | undefined): number | null {
    return s === null || s === undefined ? null : this.intern(s)
  }

  eventType(code: number, name: string, dir: string, category: number): number {
    const key = name + dir
    let id = this.types.get(key)
    if (id === undefined) {
      id = this.types.size + 1
      this.types.set(key, id)
      this.ops.push(['t', code, name, dir, category])
    }
    return id
  }

  event(
    num: number,
    ts: number,
    etype: number,
    cpu: number,
    utid: number | null,
    upid: number | null,
    fd: number | null,
    fdname: number | null,
    fdtype: number | null,
    res: number | null,
    cat: number,
    hidden: number,
    tid: number | null
  ): void {
    const e = this.events
    let o = this.count * EVENT_FIELDS
    e[o++] = num
    e[o++] = ts
    e[o++] = etype
    e[o++] = cpu
    e[o++] = utid ?? NaN
    e[o++] = upid ?? NaN
    e[o++] = fd ?? NaN
    e[o++] = fdname ?? NaN
    e[o++] = fdtype ?? NaN
    e[o++] = res ?? NaN
    e[o++] = cat
    e[o++] = hidden
    e[o] = tid ?? NaN
    if (++this.count === BATCH) this.flush()
  }

  rawEvent(ev: ScapEvent): void {
    this.raw.add(ev)
  }

  fileActivity(r: FileActivityRow): void {
    this.intern(r.path)
    if (r.path2 !== null) this.intern(r.path2)
    this.ops.push(['f', r])
  }

  connection(r: ConnectionRowIn): void {
    this.intern(r.name)
    this.ops.push(['c', r])
  }

  ioChunk(
    num: number,
    ts: number,
    upid: number | null,
    utid: number | null,
    fd: number,
    fdname: number | null,
    fdtype: number | null,
    dir: 0 | 1,
    len: number,
    data: Buffer | null
  ): void {
    this.ops.push(['i', num, ts, upid, utid, fd, fdname, fdtype, dir, len, data])
  }

  alert(a: AlertRowIn): void {
    this.ops.push(['a', a])
  }

  fdIo(rows: FdIoRow[]): void {
    this.ops.push(['fd', rows])
  }

  rulesRunStart(info: RunInfo): number {
    this.ops.push(['rs', info])
    return ++this.runs // a fresh build database numbers its runs from 1
  }

  rulesRunFinish(id: number, info: RunInfo, events: number, alerts: number): void {
    this.ops.push(['rf', id, info, events, alerts])
  }

  finishRows(): void {
    this.raw.end()
    this.flush() // the writer applies a batch's ops before its events: the last events go first
    this.ops.push(['fin'])
    this.flush()
  }

  commit(): void {
    this.flush()
  }

  /** Sends what is pending; waits while the writer is too far behind. */
  private flush(): void {
    this.check()
    if (this.count === 0 && this.ops.length === 0) return
    const transfer: ArrayBuffer[] = []
    for (const op of this.ops)
      if (op[0] === 'r' && op[2].byteLength === op[2].buffer.byteLength)
        transfer.push(op[2].buffer as ArrayBuffer)
    const msg: ToWriter = { type: 'batch', ops: this.ops, slot: this.sent % RING_SLOTS, count: this.count }
    this.worker.postMessage(msg, transfer)
    this.sent++
    this.ops = []
    this.count = 0
    // the next slot is free once the batch that used it before has been applied
    for (;;) {
      const done = Atomics.load(this.applied, 0)
      if (this.sent - done <= MAX_IN_FLIGHT) break
      Atomics.wait(this.applied, 0, done, 1000)
      this.check()
    }
    this.events = new Float64Array(this.ring, (this.sent % RING_SLOTS) * SLOT_BYTES, BATCH * EVENT_FIELDS)
  }

  /** Sends the end-of-import facts; resolves when the writer thread has finalized and closed the database. */
  finalize(ingest: IngestResult, buildMs: number): Promise<void> {
    this.flush()
    return new Promise<void>((res, rej) => {
      this.finished = { resolve: res, reject: rej }
      if (this.failure !== null) {
        rej(this.failure)
        return
      }
      const msg: ToWriter = { type: 'finalize', ingest, buildMs }
      this.worker.postMessage(msg)
    }).finally(() => {
      this.finished = null
      void this.worker.terminate()
    })
  }

  /** Stops the writer thread (cancel or error); the caller removes the temporary file. */
  async abort(): Promise<void> {
    this.finished = null
    await this.worker.terminate()
  }
}
