/**
 * Worker-thread entry: builds one index (engine/index buildIndex) off the main thread, so the HTTP server
 * and the Electron main process keep answering (progress, cancel) while a large capture is indexed.
 * Messages out: {type:'progress', p} at most every 100 ms, then {type:'done'} or {type:'error'}.
 * Cancel is worker.terminate(): the build writes a temporary file and renames it only when complete.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { BuildProgress } from '../index/build'
import { runJob } from './build-in-worker'
import type { WorkerJob, WorkerMessage } from './build-in-worker'

const port = parentPort
if (port !== null) {
  const job = workerData as WorkerJob
  let last = 0
  const post = (m: WorkerMessage): void => {
    port.postMessage(m)
  }
  const onProgress = (p: BuildProgress): void => {
    const now = Date.now()
    if (now - last < 100 && p.bytesRead < p.bytesTotal) return
    last = now
    post({ type: 'progress', p })
  }
  runJob(job, onProgress).then(
    (r) => {
      post({ type: 'done', dbPath: r.dbPath, reused: r.reused })
    },
    (e: unknown) => {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) })
    }
  )
}
