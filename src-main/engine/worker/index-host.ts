/**
 * Runs an import in a worker thread (index-worker.ts) and relays its progress. Aborting the signal asks the
 * worker to stop; if it has not stopped within `graceMs` it is terminated (its temporary file is removed by
 * the next build of the same index).
 */
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BuildProgress, BuildResult } from '../index/build'
import type { FromWorker, IndexJob, ToWorker } from './index-protocol'

export class IndexCancelled extends Error {
  constructor() {
    super('indexing cancelled')
    this.name = 'IndexCancelled'
  }
}

/** The compiled worker script: next to this file when running compiled, else in out/ (tests from source). */
export function workerScript(): string {
  const here = join(__dirname, 'index-worker.js')
  if (existsSync(here)) return here
  return resolve(__dirname, '../../../out/engine/engine/worker/index-worker.js')
}

export function indexInWorker(
  job: IndexJob,
  onProgress: (p: BuildProgress) => void,
  signal?: AbortSignal,
  graceMs = 3000
): Promise<BuildResult> {
  return new Promise<BuildResult>((res, rej) => {
    const script = workerScript()
    if (!existsSync(script)) {
      rej(new Error(`the index worker is not built (${script}); run \`npm run build:engine\``))
      return
    }
    const w = new Worker(script)
    let settled = false
    let killTimer: NodeJS.Timeout | undefined
    const finish = (f: () => void): void => {
      if (settled) return
      settled = true
      if (killTimer !== undefined) clearTimeout(killTimer)
      signal?.removeEventListener('abort', onAbort)
      void w.terminate()
      f()
    }
    const onAbort = (): void => {
      const m: ToWorker = { type: 'cancel' }
      w.postMessage(m)
      killTimer = setTimeout(() => {
        finish(() => {
          rej(new IndexCancelled())
        })
      }, graceMs)
    }
    w.on('message', (m: FromWorker) => {
      if (m.type === 'progress') onProgress(m.progress)
      else if (m.type === 'done')
        finish(() => {
          res(m.result)
        })
      else
        finish(() => {
          rej(m.cancelled ? new IndexCancelled() : new Error(m.message))
        })
    })
    w.on('error', (e) => {
      finish(() => {
        rej(e)
      })
    })
    w.on('exit', (code) => {
      finish(() => {
        rej(new Error(`the index worker exited (${code})`))
      })
    })
    if (signal?.aborted === true) {
      finish(() => {
        rej(new IndexCancelled())
      })
      return
    }
    signal?.addEventListener('abort', onAbort)
    const start: ToWorker = { type: 'start', job }
    w.postMessage(start)
  })
}
