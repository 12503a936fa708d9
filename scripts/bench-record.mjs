// Recorder benchmark (not a test): throughput with no drops, slowdown of syscall-heavy workloads with
// versus without recording (ratios of medians over alternated runs), and drops counted under overload.
// Needs root and a built recorder (npm run build:native). Usage: node scripts/bench-record.mjs [--reps N]
// (default 9: the machine has 2 cores shared with other work, so medians need several runs; check the load).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const REC = process.env.PEREGRINE_RECORDER ?? join(root, 'native', 'build', 'peregrine-recorder')
const repsArg = process.argv.indexOf('--reps')
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 9
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
const loadAtStart = loadavg()

if (process.geteuid?.() !== 0) {
  console.error('bench:record needs root (the recorder loads eBPF programs)')
  process.exit(2)
}
if (!existsSync(REC)) {
  console.error(`recorder not built: ${REC} (npm run build:native)`)
  process.exit(2)
}
const dir = mkdtempSync(join(tmpdir(), 'pg-bench-rec-'))
const OC = join(dir, 'openclose')
const cc = spawnSync('cc', ['-O2', '-o', OC, join(root, 'native', 'recorder', 'bench', 'openclose.c')], {
  encoding: 'utf8'
})
if (cc.status !== 0) {
  console.error('cannot compile the workload: ' + cc.stderr)
  process.exit(2)
}

const nowS = () => Number(process.hrtime.bigint()) / 1e9
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function summaryOf(stderr) {
  const line = stderr
    .trimEnd()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'))
  return line ? JSON.parse(line) : null
}

/** Runs `cmd` bare; returns seconds. */
function bare(cmd) {
  const t = nowS()
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore' })
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed`)
  return nowS() - t
}

/**
 * Runs `cmd` under the recorder in command mode. The command's own run time is measured inside the
 * recorded shell (the recorder's start-up and snapshot are not part of it).
 */
function recorded(cmd, extra = []) {
  const out = join(dir, 'rec.scap')
  const timer = join(dir, 'time.txt')
  const sh = `s=$(date +%s.%N); ${cmd.map((a) => `'${a}'`).join(' ')} >/dev/null; e=$(date +%s.%N); echo "$s $e" > '${timer}'`
  const r = spawnSync(REC, ['-o', out, ...extra, '--', 'sh', '-c', sh], {
    encoding: 'utf8',
    maxBuffer: 64 << 20
  })
  if (r.status !== 0) throw new Error('recording failed: ' + r.stderr)
  const [s, e] = readFileSync(timer, 'utf8').trim().split(' ').map(Number)
  const sum = summaryOf(r.stderr)
  const size = statSync(out).size
  rmSync(out, { force: true })
  return { seconds: e - s, summary: sum, size }
}

function slowdown(name, cmd) {
  const base = []
  const rec = []
  let last = null
  for (let i = 0; i < REPS; i++) {
    base.push(bare(cmd))
    const r = recorded(cmd)
    rec.push(r.seconds)
    last = r.summary
  }
  const b = median(base)
  const w = median(rec)
  return {
    name,
    bareMedianS: b,
    recordedMedianS: w,
    ratio: w / b,
    reps: REPS,
    load: loadavg(),
    lastRun: last
  }
}

const results = {}

// 1. throughput: two open/close loops, one per core, recorded; events/s and drops
{
  const N = 500000
  const runs = []
  for (let i = 0; i < 3; i++) {
    const r = recorded(['sh', '-c', `'${OC}' ${N} & '${OC}' ${N}; wait`])
    runs.push({
      seconds: r.seconds,
      records: r.summary.records,
      events: r.summary.events,
      drops: r.summary.drops,
      bytes: r.size,
      recorderCpuS: r.summary.cpu_s
    })
  }
  const best = runs.map((r) => ({
    ...r,
    recordsPerS: r.records / r.seconds,
    eventsPerS: r.events / r.seconds
  }))
  results.throughput = {
    workload: `2 x ${N} open+close in parallel (2 cores)`,
    runs: best,
    medianRecordsPerS: median(best.map((r) => r.recordsPerS)),
    medianEventsPerS: median(best.map((r) => r.eventsPerS)),
    totalDrops: best.reduce((a, r) => a + r.drops, 0)
  }
}

// 2. slowdown ratios over alternated runs
results.slowdown = [
  slowdown('open/close loop (300k iterations)', [OC, '300000']),
  slowdown('find /usr', ['find', '/usr'])
]

// 3. overload: the recorder is stopped (SIGSTOP) while the workload runs; the ring fills and every
// record that does not fit is counted per CPU and marked in the file with DROP events
{
  const out = join(dir, 'overload.scap')
  const N = 400000
  const p = spawn(
    REC,
    ['-o', out, '--ring-mb', '1', '--', 'sh', '-c', `sleep 0.5; '${OC}' ${N} & '${OC}' ${N}; wait`],
    {
      stdio: ['ignore', 'ignore', 'pipe']
    }
  )
  let err = ''
  p.stderr.setEncoding('utf8')
  p.stderr.on('data', (d) => {
    err += d
  })
  await new Promise((r) => setTimeout(r, 300))
  p.kill('SIGSTOP')
  await new Promise((r) => setTimeout(r, 2500))
  p.kill('SIGCONT')
  await new Promise((r) => p.on('close', r))
  const s = summaryOf(err)
  const b = readFileSync(out)
  let off = 0
  let dropEvents = 0
  while (off + 8 <= b.length) {
    const type = b.readUInt32LE(off)
    const len = b.readUInt32LE(off + 4)
    if (len < 12) break
    if ((type === 0x216 || type === 0x221) && b.readUInt16LE(off + 8 + 2 + 20) === 148) dropEvents++
    off += len
  }
  results.overload = {
    workload: `2 x ${N} open+close while the recorder is stopped for 2.5 s, 1 MiB ring`,
    generatedRecords: 4 * N,
    received: s?.records,
    dropsCounted: s?.drops,
    receivedPlusDrops: (s?.records ?? 0) + (s?.drops ?? 0),
    dropEventsInFile: dropEvents
  }
  rmSync(out, { force: true })
}

rmSync(dir, { recursive: true, force: true })

const t = results.throughput
console.log(
  `throughput: ${Math.round(t.medianRecordsPerS).toLocaleString()} syscalls/s recorded (${Math.round(t.medianEventsPerS).toLocaleString()} scap events/s), drops ${t.totalDrops} (${t.workload}); recorder CPU ${t.runs.map((r) => r.recorderCpuS.toFixed(2)).join('/')} s per run; load average ${loadavg()}`
)
for (const s of results.slowdown) {
  console.log(
    `slowdown ${s.name}: x${s.ratio.toFixed(2)} (median ${s.bareMedianS.toFixed(3)} s bare vs ${s.recordedMedianS.toFixed(3)} s recorded, ${s.reps} alternated runs; load average ${s.load})`
  )
}
const o = results.overload
console.log(
  `overload: ${o.dropsCounted} records dropped and counted, ${o.received} received (sum ${o.receivedPlusDrops} of ~${o.generatedRecords} generated), ${o.dropEventsInFile} DROP_E/DROP_X pairs in the file`
)
console.log(`load average at start ${loadAtStart}, at end ${loadavg()}`)
console.log(JSON.stringify(results, null, 2))
