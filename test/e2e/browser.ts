/**
 * Shared e2e plumbing: Debian's chromium driven by playwright-core, headless, with a fresh profile, plus
 * recorders for console errors, page errors and CSP violations (a payload that ran or was blocked leaves
 * a trace in one of them).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { rendererDir } from '../../src-main/engine/server/http-server'
import { serveCapture } from '../../src-main/engine/cli/cmd-serve'
import type { Served } from '../../src-main/engine/cli/cmd-serve'

export const CHROMIUM = '/usr/bin/chromium'
export const SHOTS = resolve(__dirname, '../../test-results/screenshots')

export function haveChromium(): boolean {
  return existsSync(CHROMIUM)
}

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'peregrine-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 820 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

export interface Watched {
  page: Page
  consoleErrors: string[]
  pageErrors: string[]
  /** CSP violations seen by the page itself (recorded into window.__csp by an init script) */
  cspViolations(): Promise<string[]>
}

export async function openPage(b: Browser, url: string): Promise<Watched> {
  const page = await b.context.newPage()
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] }
    w.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  await page.goto(url)
  return {
    page,
    consoleErrors,
    pageErrors,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
  }
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true })
  const file = join(SHOTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: false })
  return file
}

/** Builds the renderer when it is missing (a fresh checkout before `npm run build`). */
export function ensureRenderer(): void {
  if (existsSync(join(rendererDir(), 'index.html'))) return
  const root = resolve(__dirname, '../..')
  const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts'], {
    cwd: root,
    stdio: 'pipe'
  })
  if (r.status !== 0) throw new Error(`renderer build failed: ${r.stderr.toString()}`)
}

/** expect.poll with room for a loaded CI machine (the default gives up after 1 s). */
export function poll<T>(fn: () => T | Promise<T>): ReturnType<typeof expect.poll<T>> {
  return expect.poll(fn, { timeout: 20_000, interval: 50 })
}

/** The total the events view shows ("N events"), once it has one. */
export async function shownTotal(page: Page): Promise<number> {
  const el = page.getByTestId('events-total')
  await poll(async () => (await el.textContent()) ?? '…').toMatch(/^[\d,]+ events$/)
  return Number(((await el.textContent()) ?? '').replace(/[^\d]/g, ''))
}

/** A capture served by `peregrine serve` (its own index folder) and opened in a fresh Chromium. */
export interface ServedPage {
  served: Served
  w: Watched
  /** the app's URL without the token query (the session cookie is set) */
  base: string
  close(): Promise<void>
}

export async function serveAndOpen(capture: string): Promise<ServedPage> {
  ensureRenderer()
  // a private index cache: no race with other runs indexing the same capture
  process.env['PEREGRINE_INDEX_DIR'] = mkdtempSync(join(tmpdir(), 'peregrine-idx-'))
  const served = await serveCapture(capture, 0)
  await served.session.ready
  expect(served.session.status()).toMatchObject({ phase: 'ready', error: null })
  const browser = await launch()
  const w = await openPage(browser, served.server.url)
  return {
    served,
    w,
    base: served.server.url.replace(/\/\?token=.*$/, '/'),
    async close() {
      await browser.close()
      await served.server.close()
      served.session.close()
    }
  }
}
