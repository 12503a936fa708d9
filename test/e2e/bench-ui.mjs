/* global window, document, requestAnimationFrame, KeyboardEvent */
// UI benchmark (a script, not a test): `npm run bench:ui [-- CAPTURE]`. Serves an already indexed capture
// (default .bench/bench.scap, 1.46 M events) with the compiled engine, drives chromium through a scripted
// session and prints the time to the first view, and p50/p95 of view switches and event filters, measured
// inside the page from the action to the view's content being drawn. Targets (issue 6): first view < 1 s,
// switches and filters < 200 ms at p95.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(import.meta.url)
const capture = resolve(process.argv[2] ?? join(root, '.bench/bench.scap'))
const served = join(root, 'out/engine/engine/cli/cmd-serve.js')
if (!existsSync(served) || !existsSync(join(root, 'out/renderer-web/index.html'))) {
  console.error('bench-ui: build first (npm run build:engine && npm run build:renderer)')
  process.exit(2)
}
if (!existsSync(capture)) {
  console.error(`bench-ui: no capture ${capture} (npm run bench creates .bench/bench.scap)`)
  process.exit(2)
}

const { serveCapture } = require(served)
const s = await serveCapture(capture, 0)
const t0 = Date.now()
await s.session.ready
const st = s.session.status()
if (st.phase !== 'ready') {
  console.error(`bench-ui: indexing ${st.phase}: ${st.error ?? ''}`)
  process.exit(1)
}
console.log(`index ready in ${Date.now() - t0} ms (${st.progress?.events ?? 'reused'} events)`)

const profile = mkdtempSync(join(tmpdir(), 'peregrine-bench-ui-'))
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 820 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update'
  ]
})
const page = await context.newPage()
const base = s.server.url.replace(/\/\?token=.*$/, '/')

// content that marks each view as drawn
const READY = {
  overview: '[data-testid="count-events"]',
  timeline: '[data-testid="timeline-chart"] rect',
  tree: 'main g.node',
  network: '[data-testid="network-graph"] g, main table',
  files: 'main table tbody tr, main .muted',
  alerts: '.alert-group, main .muted',
  events: '[data-testid="event-row"][data-num]',
  rules: 'main table tbody tr'
}

/** In the page: run `action`, then resolve with the ms until `selector` exists and nothing is loading. */
async function timed(action, selector, extra = null) {
  return page.evaluate(
    ({ action, selector, extra }) =>
      new Promise((done) => {
        const start = performance.now()
        if (action.startsWith('#')) window.location.hash = action
        const tick = () => {
          const ok =
            document.querySelector(selector) !== null &&
            document.querySelector('.loading') === null &&
            (extra === null || (document.querySelector(extra.sel)?.textContent ?? '') !== extra.not)
          if (ok) done(performance.now() - start)
          else requestAnimationFrame(tick)
        }
        requestAnimationFrame(tick)
      }),
    { action, selector, extra }
  )
}

const first0 = Date.now()
await page.goto(s.server.url)
await page.locator(READY.overview).first().waitFor()
const firstView = Date.now() - first0
console.log(`first view (overview drawn after opening the URL): ${firstView} ms`)

const switches = []
const slow = []
const views = Object.keys(READY)
for (let round = 0; round < 5; round++)
  for (const v of views) {
    await page.evaluate(() => {
      window.location.hash = '#/'
    })
    await page.locator(READY.overview).first().waitFor()
    const ms = await timed(`#/${v}`, READY[v])
    switches.push(ms)
    slow.push([ms, `switch to ${v}`])
  }

const filters = [
  'evt.type=openat',
  'evt.type=connect',
  'proc.name=dockerd',
  'fd.name startswith /etc',
  'evt.type in (execve, clone) and proc.name != bash',
  'evt.dir=< and evt.res != 0'
]
const filterTimes = []
await page.goto(`${base}#/events`)
await page.locator(READY.events).first().waitFor()
for (let round = 0; round < 3; round++)
  for (const f of filters) {
    const input = page.getByTestId('filter-input')
    await input.fill(f)
    const before = (await page.getByTestId('events-total').textContent()) ?? ''
    const ms = await page.evaluate(
      ({ before }) =>
        new Promise((done) => {
          const start = performance.now()
          const input = document.querySelector('[data-testid="filter-input"]')
          input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
          const tick = () => {
            const total = document.querySelector('[data-testid="events-total"]')?.textContent ?? ''
            const err = document.querySelector('[data-testid="filter-error"]')
            if (
              err !== null ||
              (total !== before && total !== '…' && document.querySelector('.vrow') !== null)
            )
              done(performance.now() - start)
            else if (performance.now() - start > 30000) done(NaN)
            else requestAnimationFrame(tick)
          }
          requestAnimationFrame(tick)
        }),
      { before }
    )
    filterTimes.push(ms)
    slow.push([ms, `filter ${f}`])
    // next round starts from no filter so each measurement changes the table
    await input.fill('')
    await input.press('Enter')
    await page.waitForTimeout(100)
  }

function pct(xs, p) {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const line = (name, xs, target) =>
  console.log(
    `${name.padEnd(14)} n=${String(xs.length).padStart(3)}  p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms  p95 ${pct(
      xs,
      95
    )
      .toFixed(0)
      .padStart(5)} ms  ${pct(xs, 95) < target ? 'ok' : 'OVER'} (target p95 < ${target} ms)`
  )
line('view switch', switches, 200)
line('events filter', filterTimes, 200)
console.log(
  'slowest:',
  slow
    .sort((a, b) => b[0] - a[0])
    .slice(0, 6)
    .map(([ms, what]) => `${what} ${ms.toFixed(0)} ms`)
    .join('; ')
)
console.log(`first view     ${firstView} ms  ${firstView < 1000 ? 'ok' : 'OVER'} (target < 1000 ms)`)

await context.close()
rmSync(profile, { recursive: true, force: true })
await s.server.close()
s.session.close()
