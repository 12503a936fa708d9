// Benchmark (not a test): `peregrine scan` of the 1.46 M-event benchmark capture with the latest official
// rules (stable + incubating + sandbox, 81 enabled rules), events/s, and the ratio to sysdig's time for one
// filter on the same file in the same run (PEREGRINE_BENCH_SYSDIG_S from scripts/bench.mjs, else measured here).
// Needs `npm run build:engine` first (npm run bench does it).
import { spawnSync } from 'node:child_process'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBenchCapture } from './bench-capture.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const EVENTS = 1_460_380
const RUNS = Number(process.env.PEREGRINE_BENCH_RUNS ?? 3)
const FILTER = process.env.PEREGRINE_BENCH_FILTER ?? 'proc.name=etcd and evt.type=write'
const LATEST = resolve(root, '../shared/falco-rules/latest-falcosecurity-rules-c72713ee2e63')
const RULES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].flatMap((f) => [
  '-r',
  resolve(LATEST, f)
])

function timed(cmd, args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.toString().slice(-500)}`)
  return { wall, stderr: r.stderr.toString() }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const file = await ensureBenchCapture()
let sysdigS = Number(process.env.PEREGRINE_BENCH_SYSDIG_S)
const ours = []
const theirs = []
for (let i = 0; i < RUNS; i++) {
  if (!Number.isFinite(sysdigS)) theirs.push(timed('sysdig', ['-r', file, FILTER]).wall)
  ours.push(timed(process.execPath, [resolve(root, 'bin/peregrine.js'), 'scan', file, ...RULES, '--stats']))
}
if (!Number.isFinite(sysdigS)) sysdigS = median(theirs)
const p = median(ours.map((r) => r.wall))
const stats = ours[0].stderr.trim().split('\n')
console.log(`peregrine scan (latest stable+incubating+sandbox): ${stats[0]}`)
console.log(stats.slice(1).join('\n'))
console.log(
  `peregrine scan  ${p.toFixed(3)} s  ${(EVENTS / p / 1e6).toFixed(2)} M events/s (target ≥ 1 M events/s)`
)
console.log(`sysdig -r FILTER ${sysdigS.toFixed(3)} s; ratio scan/sysdig: ${(p / sysdigS).toFixed(2)}×`)
