// Runs every check and the whole test suite, then prints one "N passed, N failed" line (CI's log reader
// knows that line, not vitest's summary). Exit code: non-zero if anything failed.
import { spawnSync } from 'node:child_process'
import { readFileSync, mkdirSync } from 'node:fs'

const steps = [
  ['generated files are current', 'npm', ['run', '--silent', 'check:generated']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint and layers', 'npm', ['run', '--silent', 'lint']],
  ['format', 'npm', ['run', '--silent', 'format:check']]
]
let passed = 0
let failed = 0
for (const [name, cmd, args] of steps) {
  const t0 = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  const ok = r.status === 0
  console.log(`${ok ? 'ok' : 'FAILED'}: ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  if (ok) passed++
  else failed++
}
mkdirSync('test-results', { recursive: true })
const json = 'test-results/vitest.json'
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
  {
    stdio: 'inherit'
  }
)
try {
  const res = JSON.parse(readFileSync(json, 'utf8'))
  passed += res.numPassedTests
  failed += res.numFailedTests
  if (res.numTotalTests === 0) failed++
} catch {
  console.log('FAILED: vitest wrote no results')
  failed++
}
if (r.status !== 0 && failed === 0) failed++
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
