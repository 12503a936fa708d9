/**
 * End to end: `peregrine serve` (the same function the CLI runs) on the demo capture, driven in Debian's
 * chromium. Expected values come from independent oracles: the rules scanner reading the capture directly
 * (alert counts) and sysdig 0.29.3 (row counts, process ancestry). Screenshots of every view go to
 * test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { loadRuleFiles } from '../../src-main/engine/rules/load-files'
import { buildRuleset } from '../../src-main/engine/rules/ruleset'
import { scanCapture } from '../../src-main/engine/rules/scan'
import { fieldRegistry } from '../../src-main/engine/rules/syscall-fields'
import { PRIORITIES } from '../../src-main/common/model/types'
import { haveChromium, serveAndOpen, poll, shot, shownTotal } from './browser'
import { sysdigCount } from '../fixtures/sysdig-chisel'
import type { ServedPage, Watched } from './browser'

const ROOT = resolve(__dirname, '../..')
const DEMO = resolve(ROOT, 'samples/container-shell.scap')
const HAVE_SYSDIG = existsSync('/usr/bin/sysdig')

const ready = haveChromium() && existsSync(DEMO)
let page: ServedPage
let w: Watched
let base: string

describe.skipIf(!ready)('the app in chromium on the demo capture', () => {
  beforeAll(async () => {
    page = await serveAndOpen(DEMO)
    w = page.w
    base = page.base
  })
  afterAll(async () => {
    await page.close()
  })

  it('shows the alert counts by priority that the rules scanner finds in the capture', async () => {
    const registry = fieldRegistry()
    const load = loadRuleFiles(defaultRuleFiles(), registry)
    expect(load.ok).toBe(true)
    if (registry === undefined) throw new Error('no field registry')
    const byPriority = new Map<string, number>()
    await scanCapture(DEMO, buildRuleset(load, registry), (a) => {
      const p = PRIORITIES[a.priority] ?? 'DEBUG'
      byPriority.set(p, (byPriority.get(p) ?? 0) + 1)
    })
    const total = [...byPriority.values()].reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(0)
    await w.page.goto(`${base}#/overview`)
    await poll(() => w.page.getByTestId('count-alerts').textContent()).toContain(String(total))
    for (const [p, n] of byPriority)
      expect(await w.page.getByTestId(`priority-${p}`).textContent()).toBe(String(n))
    expect(await w.page.locator('[data-testid^="priority-"]').count()).toBe(byPriority.size)
  })

  it.skipIf(!HAVE_SYSDIG)(
    'clicking an alert shows its process lineage, as sysdig reports the ancestry',
    async () => {
      await w.page.goto(`${base}#/alerts`)
      const row = w.page.locator('tr.alert-row').first()
      await row.click()
      const tree = w.page.getByTestId('alert-lineage')
      await tree.locator('g.node.focus').waitFor()
      const names = await tree.locator('g.node .pname').allTextContents()
      const focusMeta = (await tree.locator('g.node.focus .pmeta').textContent()) ?? ''
      const pid = /^\s*(\d+)/.exec(focusMeta)?.[1]
      expect(pid).toBeDefined()
      expect(names.length).toBeGreaterThan(1)
      // one field per run: sysdig drops the whole line when any %proc.aname[N] lies beyond the known root
      const ancestry: string[] = []
      for (let i = 0; i < names.length; i++) {
        const field = i === 0 ? '%proc.name' : `%proc.aname[${i}]`
        const filter = `proc.pid=${pid ?? ''} and proc.name=${names[names.length - 1] ?? ''}`
        const v =
          execFileSync('sysdig', ['-r', DEMO, '-p', field, filter]).toString().split('\n')[0]?.trim() ?? ''
        if (v === '' || v === '<NA>') break
        ancestry.push(v)
      }
      // the tree lists root first; sysdig lists the process first
      expect([...names].reverse()).toEqual(ancestry)
      await shot(w.page, 'alerts-detail')
    }
  )

  it.skipIf(!HAVE_SYSDIG)('a filter typed in the events bar gives the rows sysdig prints', async () => {
    const filter = 'evt.type=openat and fd.name startswith /etc'
    await w.page.goto(`${base}#/events`)
    const input = w.page.getByTestId('filter-input')
    await input.fill(filter)
    await input.press('Enter')
    await poll(() => shownTotal(w.page)).toBe(sysdigCount(DEMO, filter))
    expect(await w.page.getByTestId('event-row').count()).toBeGreaterThan(0)
    await shot(w.page, 'events-filtered')
  })

  it('a malformed filter shows an inline error and keeps the last good table', async () => {
    await w.page.goto(`${base}#/events?filter=${encodeURIComponent('evt.type=close')}`)
    const before = await shownTotal(w.page)
    expect(before).toBeGreaterThan(0)
    const input = w.page.getByTestId('filter-input')
    await input.fill('evt.type=openat and (proc.name=bash')
    await input.press('Enter')
    const err = w.page.getByTestId('filter-error')
    await err.waitFor()
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    expect((await err.locator('.filter-error-msg').textContent()) ?? '').toMatch(/\S/)
    expect(await w.page.locator('.filter-excerpt mark').count()).toBe(1)
    expect(await shownTotal(w.page)).toBe(before)
    expect(await w.page.getByTestId('event-row').count()).toBeGreaterThan(0)
    await shot(w.page, 'events-filter-error')
    await input.fill('evt.type=close')
    await poll(() => err.count()).toBe(0)
  })

  it.skipIf(!HAVE_SYSDIG)('brushing the timeline narrows the events table to the window', async () => {
    await w.page.goto(`${base}#/timeline`)
    const overlay = w.page.locator('[data-testid="timeline-chart"] .brush .overlay')
    await overlay.waitFor()
    const box = await overlay.boundingBox()
    if (box === null) throw new Error('no brush overlay')
    const y = box.y + box.height / 2
    await w.page.mouse.move(box.x + box.width * 0.3, y)
    await w.page.mouse.down()
    await w.page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 })
    await w.page.mouse.up()
    const chip = w.page.getByTestId('window-chip')
    await chip.waitFor()
    const from = (await chip.getAttribute('data-from')) ?? ''
    const to = (await chip.getAttribute('data-to')) ?? ''
    expect(BigInt(to) > BigInt(from)).toBe(true)
    await shot(w.page, 'timeline-brushed')
    const filter = 'evt.type=openat'
    const all = sysdigCount(DEMO, filter)
    const inWindow = sysdigCount(DEMO, `${filter} and evt.rawtime >= ${from} and evt.rawtime < ${to}`)
    expect(inWindow).toBeLessThan(all)
    await w.page.goto(`${base}#/events?filter=${encodeURIComponent(filter)}`)
    await poll(() => shownTotal(w.page)).toBe(inWindow)
    await shot(w.page, 'events-in-window')
    // the overview counts only the window's events too (sysdig's count), and says which window applies
    await w.page.goto(`${base}#/overview`)
    const note = w.page.getByTestId('overview-window')
    await note.waitFor()
    expect([await note.getAttribute('data-from'), await note.getAttribute('data-to')]).toEqual([from, to])
    const overviewEvents = async (): Promise<number> =>
      Number(((await w.page.getByTestId('count-events').textContent()) ?? '').replace(/[^\d]/g, ''))
    await poll(overviewEvents).toBe(sysdigCount(DEMO, `evt.rawtime >= ${from} and evt.rawtime < ${to}`))
    await shot(w.page, 'overview-in-window')
    await w.page.goto(`${base}#/events?filter=${encodeURIComponent(filter)}`)
    await chip.getByRole('button').click()
    await poll(() => shownTotal(w.page)).toBe(all)
    await w.page.goto(`${base}#/overview`)
    await poll(() => note.count()).toBe(0)
  })

  it('works from the keyboard: view keys, tree nodes, / for the filter, arrows in the table', async () => {
    await w.page.goto(`${base}#/overview`)
    await w.page.locator('main[data-view="overview"]').waitFor()
    await w.page.keyboard.press('3')
    await w.page.locator('main[data-view="tree"] g.node').first().waitFor()
    const node = w.page.locator('main[data-view="tree"] g.node').nth(1)
    const upid = await node.getAttribute('data-upid')
    await node.focus()
    await w.page.keyboard.press('Enter')
    await poll(() => w.page.evaluate(() => window.location.hash)).toBe(`#/process/${upid ?? ''}`)
    await w.page.keyboard.press('7')
    await w.page.locator('main[data-view="events"]').waitFor()
    await w.page.keyboard.press('/')
    expect(await w.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'filter-input'
    )
    await w.page.getByTestId('event-row').first().waitFor()
    await w.page.locator('.vscroll').focus()
    await w.page.keyboard.press('ArrowDown')
    await w.page.keyboard.press('ArrowDown')
    const third = await w.page.getByTestId('event-row').nth(2).getAttribute('data-num')
    await expect
      .poll(async () => (await w.page.getByTestId('event-detail').textContent()) ?? '')
      .toContain(`#${third ?? '?'} `)
  })

  it('disabling a rule and running the rules again drops its alerts, as the scanner does', async () => {
    const registry = fieldRegistry()
    if (registry === undefined) throw new Error('no field registry')
    const load = loadRuleFiles(defaultRuleFiles(), registry)
    const byRule = new Map<string, number>()
    await scanCapture(DEMO, buildRuleset(load, registry), (a) => {
      byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1)
    })
    const total = [...byRule.values()].reduce((x, y) => x + y, 0)
    const [rule] = [...byRule.entries()].sort((x, y) => y[1] - x[1])[0] ?? ['']
    let expected = 0
    await scanCapture(DEMO, buildRuleset(load, registry, { disable: [rule] }), () => {
      expected++
    })
    expect(expected).toBeLessThan(total)
    const lastRun = async (): Promise<string> =>
      (await w.page.locator('.toolbar .muted').first().textContent()) ?? ''
    await w.page.goto(`${base}#/rules`)
    const box = w.page.getByRole('checkbox', { name: `enable ${rule}` })
    await box.waitFor()
    expect(await box.isChecked()).toBe(true)
    // The checkbox is controlled by the server's answer, so it flips only after a round trip: click, then
    // wait for it (Playwright's check()/uncheck() fail when the state does not change at once).
    await box.click()
    await poll(() => box.isChecked()).toBe(false)
    await w.page.getByRole('button', { name: 'Run again' }).click()
    await poll(lastRun).toContain(`last run: ${expected} alerts`)
    await w.page.goto(`${base}#/overview`)
    await poll(() => w.page.getByTestId('count-alerts').textContent()).toBe(`${expected}Alerts`)
    // back to the default rules for the other tests
    await w.page.goto(`${base}#/rules`)
    const again = w.page.getByRole('checkbox', { name: `enable ${rule}` })
    await again.click()
    await poll(() => again.isChecked()).toBe(true)
    await w.page.getByRole('button', { name: 'Run again' }).click()
    await poll(lastRun).toContain(`last run: ${total} alerts`)
  })

  it('exports the incident report from the header', async () => {
    await w.page.goto(`${base}#/overview`)
    await w.page.locator('.report-menu summary').click()
    const [download] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByTestId('export-html').click()
    ])
    expect(download.suggestedFilename()).toMatch(/^peregrine-report-[0-9a-f]{16}\.html$/)
    const file = await download.path()
    const html = readFileSync(file, 'utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    const sha = await w.page.evaluate(async () => {
      const r = await fetch('/api/overview', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}'
      })
      return ((await r.json()) as { result: { sha256: string } }).result.sha256
    })
    expect(html).toContain(sha)
    await w.page.keyboard.press('Escape')
  })

  it('exports the report as PDF (printed by headless Chromium on the server)', async () => {
    await w.page.goto(`${base}#/overview`)
    await w.page.locator('.report-menu summary').click()
    const [download] = await Promise.all([
      w.page.waitForEvent('download', { timeout: 60_000 }),
      w.page.getByTestId('export-pdf').click()
    ])
    expect(download.suggestedFilename()).toMatch(/^peregrine-report-[0-9a-f]{16}\.pdf$/)
    const pdf = readFileSync(await download.path())
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF')
    // a report of a capture with alerts runs over several pages
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(1)
    await w.page.keyboard.press('Escape')
  })

  it('keeps the analyst title and notes with the capture; the exported report carries them as text', async () => {
    const payload = `first seen 10:42\n<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>`
    await w.page.goto(`${base}#/report`)
    await w.page.getByTestId('report-title').fill('Case 4711: web pod shell')
    await w.page.getByTestId('report-notes').fill(payload)
    await poll(() => w.page.getByTestId('report-saved').textContent()).toBe('unsaved changes')
    await w.page.getByTestId('report-save').click()
    await poll(() => w.page.getByTestId('report-saved').textContent()).toBe('saved with the capture')
    // kept by the server (in the index), not by the page
    await w.page.reload()
    await poll(() => w.page.getByTestId('report-notes').inputValue()).toBe(payload)
    expect(await w.page.getByTestId('report-title').inputValue()).toBe('Case 4711: web pod shell')
    const [download] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByTestId('report-export-html').click()
    ])
    const html = readFileSync(await download.path(), 'utf8')
    expect(html).toContain('Case 4711: web pod shell')
    expect(html).toContain('&lt;img src=x onerror=')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>window.__pwned')
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    // clear them again for the other tests
    await w.page.getByTestId('report-title').fill('')
    await w.page.getByTestId('report-notes').fill('')
    await w.page.getByTestId('report-save').click()
    await poll(() => w.page.getByTestId('report-saved').textContent()).toBe('saved with the capture')
  })

  it('saves a screenshot of every view, with no console errors or CSP violations', async () => {
    const views = ['overview', 'timeline', 'tree', 'network', 'files', 'alerts', 'events', 'rules', 'report']
    for (const v of views) {
      await w.page.goto(`${base}#/${v}`)
      await w.page.locator(`main[data-view="${v}"]`).waitFor()
      await w.page.waitForLoadState('networkidle')
      await shot(w.page, v)
    }
    const upid = await w.page.evaluate(async () => {
      const r = await fetch('/api/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"window":null}'
      })
      const j = (await r.json()) as { result: { rows: { upid: number | null }[] } }
      return j.result.rows[0]?.upid ?? null
    })
    expect(upid).not.toBeNull()
    await w.page.goto(`${base}#/process/${String(upid)}`)
    await w.page.locator('.facts').first().waitFor()
    await shot(w.page, 'process-detail')
    await w.page.goto(`${base}#/tree`)
    await w.page.keyboard.press('t')
    await w.page.waitForLoadState('networkidle')
    await shot(w.page, 'tree-dark')
    expect(await w.page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark')
    await w.page.keyboard.press('t')
    expect(w.consoleErrors).toEqual([])
    expect(w.pageErrors).toEqual([])
    expect(await w.cspViolations()).toEqual([])
  })
})
