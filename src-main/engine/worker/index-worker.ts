/**
 * Worker-thread entry: builds one index (engine/index buildIndex), or runs rules again over one, off the
 * main thread, so the HTTP server and the Electron main process keep answering while a large capture is
 * indexed. Messages out: {type:'progress'} at most every 100 ms, then {type:'done'} or {type:'error'}.
 * A {type:'cancel'} message in aborts the build, which removes its temporary file (build.ts) before the
 * error comes back.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { BuildProgress } from '../index/build'
import { runJob } from './build-in-worker'
import type { WorkerJob, WorkerMessage } from './build-in-worker'

const port = parentPort
if (port !== null) {
  const job = workerData as WorkerJob
  const abort = new AbortController()
  port.on('message', (m: { type: string }) => {
    if (m.type === 'cancel') abort.abort()
  })
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
  runJob(job, onProgress, abort.signal).then(
    (r) => {
      post({ type: 'done', dbPath: r.dbPath, reused: r.reused })
    },
    (e: unknown) => {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) })
    }
  )
}
