// `npm run bench`: speed against the peer on the same file in the same run (never a test).
// 1. `peregrine events FILE FILTER` vs `sysdig -r FILE FILTER` on the 1.46 M-event benchmark capture,
//    alternated runs, medians, events/s, the ratio and peak memory (from /usr/bin/time when present).
// 2. Then every other scripts/bench-<part>.mjs (scan, index, …), which print their own figures; they get
//    the sysdig median in PEREGRINE_BENCH_SYSDIG_S to print their ratio.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBenchCapture } from './bench-capture.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const EVENTS = 1_460_380 // 146 038 events × 10 sections
const FILTER = process.env.PEREGRINE_BENCH_FILTER ?? 'proc.name=etcd and evt.type=write'
const RUNS = Number(process.env.PEREGRINE_BENCH_RUNS ?? 3)
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

function timed(cmd, args) {
  const argv = TIME ? [TIME, ['-f', '%e %M', cmd, ...args]] : [cmd, args]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.toString().slice(-500)}`)
  let rssMb = NaN
  if (TIME) {
    const last = r.stderr.toString().trim().split('\n').pop() ?? ''
    rssMb = Number(last.split(' ')[1]) / 1024
  }
  return { wall, rssMb, lines: r.stdout.toString().split('\n').filter(Boolean).length }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const file = await ensureBenchCapture()
console.log(`benchmark capture: ${file} (${EVENTS} events); filter: ${FILTER}; ${RUNS} alternated runs`)
const ours = []
const theirs = []
for (let i = 0; i < RUNS; i++) {
  theirs.push(timed('sysdig', ['-r', file, FILTER]))
  ours.push(timed(process.execPath, [resolve(root, 'bin/peregrine.js'), 'events', file, FILTER]))
}
const s = median(theirs.map((r) => r.wall))
const p = median(ours.map((r) => r.wall))
if (ours[0].lines !== theirs[0].lines)
  console.log(`WARNING: line counts differ: peregrine ${ours[0].lines}, sysdig ${theirs[0].lines}`)
console.log(
  `sysdig -r       ${s.toFixed(3)} s  ${(EVENTS / s / 1e6).toFixed(2)} M events/s  peak ${median(theirs.map((r) => r.rssMb)).toFixed(0)} MB  (${theirs[0].lines} lines)`
)
console.log(
  `peregrine events ${p.toFixed(3)} s  ${(EVENTS / p / 1e6).toFixed(2)} M events/s  peak ${median(ours.map((r) => r.rssMb)).toFixed(0)} MB  (${ours[0].lines} lines)`
)
console.log(`ratio peregrine/sysdig: ${(p / s).toFixed(2)}× (target ≤ 1.5×)`)

for (const f of readdirSync(resolve(root, 'scripts')).sort()) {
  if (!/^bench-.+\.mjs$/.test(f) || ['bench-capture.mjs', 'bench-record.mjs'].includes(f)) continue
  console.log(`\n== ${f}`)
  spawnSync(process.execPath, [resolve(root, 'scripts', f)], {
    stdio: 'inherit',
    env: { ...process.env, PEREGRINE_BENCH_SYSDIG_S: String(s) }
  })
}
