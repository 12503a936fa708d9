/**
 * One open capture behind the UI: indexing (run by the index worker, with progress and cancel) and then the
 * query API over the finished index. Electron main and `peregrine serve` both hold one session and expose
 * `session.api` over their transport, so the two hosts cannot drift apart.
 */
import type { Args, Channel, EngineApi, Results } from '../../common/ipc-contract'
import type { CaptureStatus, IndexProgress } from '../../common/model/types'

/** Every channel except the capture lifecycle ones, answered from a ready index. */
export type QueryChannel = Exclude<Channel, 'capture.status' | 'capture.open' | 'capture.cancel'>
export type QueryBackend = { [C in QueryChannel]: (args: Args<C>) => Promise<Results[C]> } & {
  close?: () => void
}

/** Indexes `path` (or reuses an index of the same content), reporting progress; rejects on abort. */
export type IndexOpener = (
  path: string,
  onProgress: (p: IndexProgress) => void,
  signal: AbortSignal
) => Promise<QueryBackend>

export class NotReadyError extends Error {
  constructor(phase: string) {
    super(`the capture is not ready (${phase})`)
    this.name = 'NotReadyError'
  }
}

const CAPTURE_RE = /\.scap(\.gz)?$/i

export class CaptureSession {
  private state: CaptureStatus = { phase: 'none', path: null, progress: null, error: null, generation: 0 }
  private backend: QueryBackend | null = null
  private abort: AbortController | null = null
  private seq = 0
  /** settles when the current indexing ends (either way) */
  ready: Promise<void> = Promise.resolve()
  readonly api: EngineApi

  constructor(
    private readonly opener: IndexOpener,
    /** whether the UI may open other files (Electron yes, `peregrine serve` no) */
    private readonly allowOpen: boolean
  ) {
    const q = <C extends QueryChannel>(c: C) =>
      ((args: Args<C>) => {
        const b = this.backend
        if (b === null) return Promise.reject(new NotReadyError(this.state.phase))
        const fn = b[c] as unknown as (a: Args<C>) => Promise<Results[C]>
        return fn.call(b, args)
      }) as EngineApi[C]
    const writeThenBump = <
      C extends 'rules.setEnabled' | 'rules.loadText' | 'rules.removeFile' | 'rules.run'
    >(
      c: C
    ) =>
      (async (args: Args<C>) => {
        const r = await q(c)(args)
        this.state = { ...this.state, generation: this.state.generation + 1 }
        return r
      }) as EngineApi[C]
    this.api = {
      'capture.status': () => Promise.resolve(this.status()),
      'capture.open': (args) => {
        if (!this.allowOpen)
          return Promise.reject(new Error('this server serves one capture; start another to open a file'))
        if (!CAPTURE_RE.test(args.path)) return Promise.reject(new Error('not a .scap or .scap.gz file'))
        this.open(args.path)
        return Promise.resolve(this.status())
      },
      'capture.cancel': () => {
        this.cancel()
        return Promise.resolve(this.status())
      },
      overview: q('overview'),
      timeline: q('timeline'),
      'process.tree': q('process.tree'),
      'process.detail': q('process.detail'),
      events: q('events'),
      'events.around': q('events.around'),
      'filter.check': q('filter.check'),
      connections: q('connections'),
      files: q('files'),
      alerts: q('alerts'),
      'alert.detail': q('alert.detail'),
      search: q('search'),
      'report.export': q('report.export'),
      'report.notes': q('report.notes'),
      'report.setNotes': q('report.setNotes'),
      'io.stream': q('io.stream'),
      'io.commands': q('io.commands'),
      'io.errors': q('io.errors'),
      'io.top': q('io.top'),
      'rules.list': q('rules.list'),
      'rules.setEnabled': writeThenBump('rules.setEnabled'),
      'rules.loadText': writeThenBump('rules.loadText'),
      'rules.removeFile': writeThenBump('rules.removeFile'),
      'rules.run': writeThenBump('rules.run')
    }
  }

  status(): CaptureStatus {
    return { ...this.state }
  }

  /** Starts indexing `path`, replacing (and cancelling) whatever was open. */
  open(path: string): void {
    this.cancel()
    this.backend?.close?.()
    this.backend = null
    const abort = new AbortController()
    this.abort = abort
    // results of an earlier open (cancelled or superseded) must not touch this one's state
    const seq = ++this.seq
    const generation = this.state.generation + 1
    this.state = { phase: 'indexing', path, progress: null, error: null, generation }
    this.ready = this.opener(
      path,
      (p) => {
        if (this.abort === abort) this.state = { ...this.state, progress: p }
      },
      abort.signal
    ).then(
      (backend) => {
        if (seq !== this.seq || abort.signal.aborted) {
          backend.close?.()
          return
        }
        this.abort = null
        this.backend = backend
        this.state = { ...this.state, phase: 'ready', generation: generation + 1 }
      },
      (e: unknown) => {
        if (seq !== this.seq) return
        this.abort = null
        const cancelled = abort.signal.aborted
        this.state = {
          ...this.state,
          phase: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? null : e instanceof Error ? e.message : String(e)
        }
      }
    )
  }

  cancel(): void {
    if (this.abort === null) return
    this.abort.abort()
    this.abort = null
    this.state = { ...this.state, phase: 'cancelled', error: null }
  }

  close(): void {
    this.cancel()
    this.backend?.close?.()
    this.backend = null
  }
}
