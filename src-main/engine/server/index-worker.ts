/**
 * Worker-thread entry: builds one index (engine/index buildIndex) off the main thread, so the HTTP server
 * and the Electron main process keep answering (progress, cancel) while a large capture is indexed.
 * Messages out: {type:'progress', p} at most every 100 ms, then {type:'done'} or {type:'error'}.
 * Cancel is worker.terminate(): the build writes a temporary file and renames it only when complete.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { buildIndex } from '../index/build'
import type { BuildProgress } from '../index/build'
import type { WorkerJob, WorkerMessage } from './build-in-worker'

const port = parentPort
if (port !== null) {
  const job = workerData as WorkerJob
  let last = 0
  const post = (m: WorkerMessage): void => {
    port.postMessage(m)
  }
  buildIndex({
    capturePath: job.capturePath,
    rules: job.rules,
    force: job.force,
    ...(job.dbPath === null ? {} : { dbPath: job.dbPath }),
    onProgress: (p: BuildProgress) => {
      const now = Date.now()
      if (now - last < 100 && p.bytesRead < p.bytesTotal) return
      last = now
      post({ type: 'progress', p })
    }
  }).then(
    (r) => {
      post({ type: 'done', dbPath: r.dbPath, reused: r.reused })
    },
    (e: unknown) => {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) })
    }
  )
}
