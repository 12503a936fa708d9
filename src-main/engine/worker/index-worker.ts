/**
 * The worker thread that imports a capture (decode → state → rules → SQLite), so the process hosting the UI
 * never blocks. Progress is posted at most every 100 ms; a 'cancel' message aborts the import, which then
 * removes its temporary file (build.ts) and reports `cancelled`.
 */
import { parentPort } from 'node:worker_threads'
import { buildIndex, BuildCancelled, type BuildProgress } from '../index/build'
import type { FromWorker, ToWorker } from './index-protocol'

const port = parentPort
if (port === null) throw new Error('index-worker must run in a worker thread')

const abort = new AbortController()
let last = 0

function post(m: FromWorker): void {
  port?.postMessage(m)
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') {
    abort.abort()
    return
  }
  const job = m.job
  buildIndex({
    capturePath: job.capturePath,
    dbPath: job.dbPath,
    force: job.force,
    rules: job.rules,
    signal: abort.signal,
    onProgress: (p: BuildProgress) => {
      const now = Date.now()
      if (now - last < 100) return
      last = now
      post({ type: 'progress', progress: p })
    }
  }).then(
    (result) => {
      post({ type: 'done', result })
    },
    (e: unknown) => {
      post({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
        cancelled: e instanceof BuildCancelled || abort.signal.aborted
      })
    }
  )
})
