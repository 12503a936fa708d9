/**
 * Runs an index build (or a rules run over an index) in a worker thread (index-worker.ts) when the compiled
 * worker script exists, else in this thread (tests run the TypeScript sources, which a worker thread cannot
 * load). Either way the caller gets progress callbacks and can abort: the worker is asked to cancel, which
 * lets the build remove its temporary file, and is terminated if it has not stopped within `graceMs`.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import { buildIndex } from '../index/build'
import { runRules } from '../index/rules-run'
import type { BuildProgress } from '../index/build'

export interface WorkerJob {
  /** build (or reuse) the index, or run the rules again over an existing one (dbPath) */
  mode: 'build' | 'rules'
  capturePath: string
  rules: string[]
  force: boolean
  dbPath: string | null
}

export type WorkerMessage =
  | { type: 'progress'; p: BuildProgress }
  | { type: 'done'; dbPath: string; reused: boolean }
  | { type: 'error'; message: string }

export interface Built {
  dbPath: string
  reused: boolean
  /** whether a worker thread did the work */
  inWorker: boolean
}

/** The compiled worker script: beside this file when compiled, else under out/engine of the repository. */
export function workerScript(from: string = __dirname): string | null {
  const here = join(from, 'index-worker.js')
  if (existsSync(here)) return here
  let dir = resolve(from)
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'out', 'engine', 'engine', 'worker', 'index-worker.js')
    if (existsSync(join(dir, 'package.json'))) return existsSync(p) && !__filename.endsWith('.ts') ? p : null
    dir = resolve(dir, '..')
  }
  return null
}

/** What the worker does, also used in this thread when no compiled worker exists. */
export async function runJob(
  job: WorkerJob,
  onProgress: (p: BuildProgress) => void,
  signal?: AbortSignal
): Promise<{ dbPath: string; reused: boolean }> {
  if (job.mode === 'rules') {
    if (job.dbPath === null) throw new Error('a rules run needs the index path')
    const r = await runRules(job.dbPath, job.rules, signal === undefined ? {} : { signal })
    if (r.status !== 'complete') throw new Error(`rules run ${r.status}: ${r.error ?? ''}`)
    return { dbPath: job.dbPath, reused: true }
  }
  const r = await buildIndex({
    capturePath: job.capturePath,
    rules: job.rules,
    force: job.force,
    ...(job.dbPath === null ? {} : { dbPath: job.dbPath }),
    onProgress,
    ...(signal === undefined ? {} : { signal })
  })
  return { dbPath: r.dbPath, reused: r.reused }
}

function inThisThread(
  job: WorkerJob,
  onProgress: (p: BuildProgress) => void,
  signal: AbortSignal
): Promise<Built> {
  return runJob(job, onProgress, signal).then((r) => ({ ...r, inWorker: false }))
}

export class IndexCancelled extends Error {
  constructor() {
    super('indexing cancelled')
    this.name = 'IndexCancelled'
  }
}

export function buildInWorker(
  job: WorkerJob,
  onProgress: (p: BuildProgress) => void,
  signal: AbortSignal,
  script: string | null = workerScript(),
  graceMs = 3000
): Promise<Built> {
  if (script === null) return inThisThread(job, onProgress, signal)
  return new Promise<Built>((ok, fail) => {
    const worker = new Worker(script, { workerData: job })
    let settled = false
    let killTimer: NodeJS.Timeout | undefined
    const finish = (f: () => void): void => {
      if (settled) return
      settled = true
      if (killTimer !== undefined) clearTimeout(killTimer)
      signal.removeEventListener('abort', onAbort)
      void worker.terminate()
      f()
    }
    const cancelled = (): void => {
      fail(new IndexCancelled())
    }
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel' })
      killTimer = setTimeout(() => {
        finish(cancelled)
      }, graceMs)
    }
    if (signal.aborted) {
      finish(cancelled)
      return
    }
    signal.addEventListener('abort', onAbort)
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.p)
      else if (m.type === 'done')
        finish(() => {
          ok({ dbPath: m.dbPath, reused: m.reused, inWorker: true })
        })
      else if (signal.aborted) finish(cancelled)
      else
        finish(() => {
          fail(new Error(m.message))
        })
    })
    worker.on('error', (e) => {
      finish(() => {
        fail(e)
      })
    })
    worker.on('exit', (code) => {
      finish(() => {
        fail(new Error(`the index worker stopped (exit ${code})`))
      })
    })
  })
}
