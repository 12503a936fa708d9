// Decoder benchmark (not a test): decodes the benchmark capture (.bench/bench.scap, the Kubernetes corpus
// capture uncompressed and concatenated 10×, built on first use) with a visitor that only counts events, and
// prints the best of N runs. Needs the compiled engine: `npm run build:engine` first.
import { createRequire } from 'node:module'
import { statSync } from 'node:fs'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBenchCapture } from './bench-capture.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { readCapture } = require(resolve(root, 'out/engine/engine/capture/read-capture.js'))

const runs = Number(process.argv[2] ?? 5)
const file = process.argv[3] ?? (await ensureBenchCapture())
const size = statSync(file).size
let best = Infinity
let bestCpu = Infinity
let events = 0
for (let i = 0; i < runs; i++) {
  let n = 0
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const s = await readCapture(file, {
    event() {
      n++
    }
  })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const cu = process.cpuUsage(c0)
  // CPU time (user + system) is the fairer figure on a shared machine; wall time includes waiting for a core.
  const cpuMs = (cu.user + cu.system) / 1000
  if (!s.complete) throw new Error(`decode failed: ${JSON.stringify(s.error)}`)
  if (n !== s.events) throw new Error('event count mismatch')
  events = n
  best = Math.min(best, ms)
  bestCpu = Math.min(bestCpu, cpuMs)
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms cpu`)
}
console.log(
  `${file}: ${(size / 1e6).toFixed(1)} MB, ${events} events; best ${best.toFixed(0)} ms = ` +
    `${(((events / best) * 1000) / 1e6).toFixed(2)} M events/s, ${(((size / best) * 1000) / 1e6).toFixed(0)} MB/s; ` +
    `best cpu time ${bestCpu.toFixed(0)} ms`
)
