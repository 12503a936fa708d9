// Benchmark (not a test): the incident report of the 1.46 M-event benchmark capture. Indexes it first (with
// the default rules, into a fresh temporary index), then times `peregrine report` on the index for each format
// (HTML, Markdown, JSON) — the report step — and prints the whole (index + report). Target: a report
// written in under 10 s. Needs `npm run build:engine` first.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBenchCapture } from './bench-capture.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = resolve(root, 'bin/peregrine.js')

function timed(args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26
  })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`peregrine ${args[0]} failed (${r.status}): ${r.stderr.toString().slice(-800)}`)
  return { wall, stdout: r.stdout.toString(), stderr: r.stderr.toString() }
}

const file = await ensureBenchCapture()
const dir = mkdtempSync(join(tmpdir(), 'pg-bench-report-'))
try {
  const db = join(dir, 'bench.db')
  const idx = timed(['index', file, '--db', db, '--quiet'])
  console.log(`index    ${idx.wall.toFixed(2)} s  (${(statSync(file).size / 1e6).toFixed(1)} MB capture)`)
  let worst = 0
  for (const ext of ['html', 'md', 'json']) {
    const out = join(dir, `report.${ext}`)
    const r = timed(['report', db, '-o', out])
    worst = Math.max(worst, r.wall)
    console.log(
      `report   ${ext.padEnd(4)} ${r.wall.toFixed(2)} s  ${(statSync(out).size / 1e6).toFixed(2)} MB  (whole: ${(idx.wall + r.wall).toFixed(2)} s)`
    )
  }
  console.log(`slowest report step ${worst.toFixed(2)} s (target < 10 s): ${worst < 10 ? 'ok' : 'TOO SLOW'}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
