// Builds the benchmark capture once: the uncompressed bytes of the Kubernetes corpus capture concatenated
// 10 times (a valid multi-section file, 1.46 M events). Shared by every bench script.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const BENCH_SOURCE = resolve(
  root,
  '../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)
export const BENCH_FILE = resolve(root, '.bench/bench.scap')
export const BENCH_COPIES = 10

export async function ensureBenchCapture() {
  if (existsSync(BENCH_FILE) && statSync(BENCH_FILE).size > 0) return BENCH_FILE
  mkdirSync(dirname(BENCH_FILE), { recursive: true })
  const tmp = BENCH_FILE + '.tmp'
  const raw = gunzipSync(readFileSync(BENCH_SOURCE)) // 13.8 MB
  writeFileSync(tmp, raw)
  for (let i = 1; i < BENCH_COPIES; i++) appendFileSync(tmp, raw)
  renameSync(tmp, BENCH_FILE)
  return BENCH_FILE
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await ensureBenchCapture()
  console.log(`${f}: ${(statSync(f).size / 1e6).toFixed(1)} MB`)
}
