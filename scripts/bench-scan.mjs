// Benchmark (not a test): `peregrine scan` of the 1.46 M-event benchmark capture with the latest official
// rules (stable + incubating + sandbox, 81 enabled rules), events/s, and the ratio to sysdig's time for one
// filter on the same file in the same run (PEREGRINE_BENCH_SYSDIG_S from scripts/bench.mjs, else measured here).
// Needs `npm run build:engine` first (npm run bench does it).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
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

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** Wall time, and CPU time (user+sys, from /usr/bin/time) which stays meaningful on a loaded machine. */
function timed(cmd, args) {
  const [c, a] = TIME ? [TIME, ['-f', 'CPU %U %S', cmd, ...args]] : [cmd, args]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(c, a, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.toString().slice(-500)}`)
  const lines = r.stderr.toString().trim().split('\n')
  const last = lines[lines.length - 1] ?? ''
  const m = /^CPU ([\d.]+) ([\d.]+)$/.exec(last)
  const cpu = m ? Number(m[1]) + Number(m[2]) : NaN
  return { wall, cpu, stderr: (m ? lines.slice(0, -1) : lines).join('\n') }
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
const cpu = median(ours.map((r) => r.cpu))
if (Number.isFinite(cpu))
  console.log(
    `  CPU time ${cpu.toFixed(3)} s: ${(EVENTS / cpu / 1e6).toFixed(2)} M events per CPU second (load average ${loadavg()[0].toFixed(1)} on ${String(cpus().length)} CPUs)`
  )
console.log(`sysdig -r FILTER ${sysdigS.toFixed(3)} s; ratio scan/sysdig: ${(p / sysdigS).toFixed(2)}×`)
