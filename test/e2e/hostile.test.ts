/**
 * A capture whose host name, process names, command lines, file names and a rule name carry HTML and
 * script payloads: every view must show them as text. Each payload sets window.__pwned if it ever runs;
 * an init script records CSP violations (an injected inline handler would be blocked and reported).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { haveChromium, serveAndOpen, poll, shot } from './browser'
import type { ServedPage, Watched } from './browser'
import { HOSTILE_COMM, HOSTILE_FILE, IMG, SCRIPT, hostileCapture } from '../fixtures/hostile-capture'

const dir = mkdtempSync(join(tmpdir(), 'peregrine-hostile-'))
const file = join(dir, 'hostile.scap')
let page: ServedPage
let w: Watched
let base: string

async function mainText(): Promise<string> {
  await w.page.waitForLoadState('networkidle')
  return (await w.page.locator('main').textContent()) ?? ''
}

async function noScriptRan(): Promise<void> {
  expect(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(
    await w.page.evaluate(
      () => document.querySelectorAll('img, script:not([src]), [onerror], [onload]').length
    )
  ).toBe(0)
  expect(await w.cspViolations()).toEqual([])
  expect(w.pageErrors).toEqual([])
}

describe.skipIf(!haveChromium())('hostile strings render as inert text in every view', () => {
  beforeAll(async () => {
    writeFileSync(file, hostileCapture())
    page = await serveAndOpen(file)
    w = page.w
    base = page.base
  })
  afterAll(async () => {
    await page.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it.each([
    ['overview', [`host${IMG}`, HOSTILE_COMM, HOSTILE_FILE]],
    ['tree', [HOSTILE_COMM, SCRIPT]],
    ['network', [HOSTILE_COMM]],
    ['files', [HOSTILE_FILE]],
    ['events', [HOSTILE_COMM]],
    ['timeline', []]
  ])('%s', async (view, texts) => {
    await w.page.goto(`${base}#/${view}`)
    await w.page.locator(`main[data-view="${view}"]`).waitFor()
    if (texts.length > 0) await poll(mainText).toContain(texts[0])
    const text = await mainText()
    for (const t of texts) expect(text).toContain(t)
    await shot(w.page, `hostile-${view}`)
    await noScriptRan()
  })

  it('process detail, alerts and the alert detail', async () => {
    const upid = await w.page.evaluate(async () => {
      const r = await fetch('/api/search', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'pwned', limit: 10 })
      })
      const j = (await r.json()) as { result: { kind: string; upid: number | null }[] }
      return j.result.find((h) => h.kind === 'process')?.upid ?? null
    })
    expect(upid).not.toBeNull()
    await w.page.goto(`${base}#/process/${String(upid)}`)
    await poll(mainText).toContain(`-c ${IMG} ${SCRIPT}`)
    expect(await mainText()).toContain(`/tmp/${SCRIPT}`)
    await shot(w.page, 'hostile-process')
    await noScriptRan()

    await w.page.goto(`${base}#/alerts`)
    await w.page.locator('tr.alert-row').first().click()
    await w.page.getByTestId('alert-detail').waitFor()
    await poll(mainText).toContain(HOSTILE_COMM)
    await shot(w.page, 'hostile-alerts')
    await noScriptRan()
  })

  it('the stream of /etc/shadow shows the hostile bytes as text', async () => {
    await w.page.goto(`${base}#/stream?name=${encodeURIComponent('/etc/shadow')}`)
    await w.page.getByTestId('stream-chunk').first().waitFor()
    expect(await mainText()).toContain(`root:${IMG}`)
    await w.page.goto(`${base}#/inspect`)
    await w.page.locator('main[data-view="inspect"]').waitFor()
    await shot(w.page, 'hostile-inspect')
    await noScriptRan()
  })

  it('search results', async () => {
    await w.page.goto(`${base}#/overview`)
    const box = w.page.getByRole('searchbox', { name: 'Search' })
    await box.fill('pwned')
    await box.press('Enter')
    const hits = w.page.locator('.search-hits')
    await poll(async () => (await hits.textContent()) ?? '').toContain(IMG)
    await shot(w.page, 'hostile-search')
    await noScriptRan()
  })

  it('rule problems from a custom rules file', async () => {
    const yaml = `- rule: "${IMG}"\n  desc: x\n  condition: evt.type=openat and (\n  output: "${SCRIPT}"\n  priority: WARNING\n`
    await w.page.evaluate(async (text) => {
      await fetch('/api/rules.loadText', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'evil<b>.yaml', text })
      })
    }, yaml)
    await w.page.goto(`${base}#/rules`)
    await w.page.locator('main[data-view="rules"]').waitFor()
    await poll(mainText).toContain('evil_b_.yaml')
    const problems = (await w.page.locator('.problems').textContent()) ?? ''
    expect(problems).toMatch(/evil_b_\.yaml:\d+:\d+/)
    await shot(w.page, 'hostile-rules')
    await noScriptRan()
    await w.page.getByRole('button', { name: 'remove 1-evil_b_.yaml' }).click()
    await poll(async () => (await w.page.locator('.problems').textContent()) ?? '').toBe('')
  })
})
