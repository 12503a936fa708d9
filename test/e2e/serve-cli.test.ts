// `peregrine serve FILE` as a user runs it (the compiled CLI): prints a loopback URL with a token, refuses
// requests without it, answers the API with it, and stops cleanly on SIGINT.
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ensureRenderer, haveChromium, launch, openPage, poll, shot } from './browser'

const ROOT = resolve(__dirname, '../..')
const CLI = resolve(ROOT, 'bin/peregrine.js')
const BUILT = existsSync(resolve(ROOT, 'out/engine/engine/cli/cmd-serve.js'))
const CAPTURE = resolve(ROOT, 'samples/shadow-read.scap')
/** the 1.46 M-event benchmark capture (npm run bench makes it): big enough to watch indexing */
const BENCH = resolve(ROOT, '.bench/bench.scap')

/** Starts the compiled `peregrine serve FILE` with a private index cache; resolves with the URL it prints. */
async function startServe(file: string): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, PEREGRINE_INDEX_DIR: mkdtempSync(join(tmpdir(), 'peregrine-idx-')) }
  const child = spawn(process.execPath, [CLI, 'serve', file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()))
  const url = await new Promise<string>((ok, fail) => {
    const t = setInterval(() => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(out)
      if (m !== null) {
        clearInterval(t)
        ok(m[0])
      }
    }, 50)
    child.on('exit', (code) => {
      clearInterval(t)
      fail(new Error(`serve exited with ${String(code)}: ${out}`))
    })
  })
  return { child, url }
}

describe.skipIf(!BUILT || !existsSync(CAPTURE))('peregrine serve (compiled CLI)', () => {
  it('serves on 127.0.0.1 with a token and exits 0 on SIGINT', async () => {
    ensureRenderer()
    const { child, url } = await startServe(CAPTURE)
    const origin = url.replace(/\/\?token=.*$/, '')
    const token = /token=([\w-]+)/.exec(url)?.[1] ?? ''
    expect(token.length).toBeGreaterThanOrEqual(32)
    expect((await fetch(`${origin}/`)).status).toBe(403)
    expect((await fetch(`${origin}/api/capture.status`, { method: 'POST', body: '{}' })).status).toBe(403)
    const page = await fetch(`${origin}/`, { headers: { 'x-peregrine-token': token } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const call = async (
      ch: string,
      body: unknown
    ): Promise<{ ok: boolean; result: Record<string, unknown> }> => {
      const r = await fetch(`${origin}/api/${ch}`, {
        method: 'POST',
        headers: { 'x-peregrine-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
      return (await r.json()) as { ok: boolean; result: Record<string, unknown> }
    }
    await expect
      .poll(async () => (await call('capture.status', {})).result['phase'], { timeout: 60_000 })
      .toBe('ready')
    const ov = await call('overview', {})
    expect(ov.ok).toBe(true)
    expect(ov.result['sha256']).toMatch(/^[0-9a-f]{64}$/)
    const code = await new Promise<number | null>((ok) => {
      child.on('exit', ok)
      child.kill('SIGINT')
    })
    expect(code).toBe(0)
  })

  it.skipIf(!haveChromium() || !existsSync(BENCH))(
    'shows indexing progress (events/s, time left) from the worker, and Cancel stops it',
    async () => {
      const { child, url } = await startServe(BENCH)
      const browser = await launch()
      try {
        const w = await openPage(browser, url)
        const status = w.page.getByRole('status')
        await status.waitFor()
        await poll(async () => (await status.textContent()) ?? '').toMatch(
          /[\d,]+ events · [\d,]+ ev\/s( · \d+ s left)?/
        )
        await shot(w.page, 'indexing-progress')
        await status.getByRole('button', { name: 'Cancel' }).click()
        await poll(async () => (await w.page.locator('main').textContent()) ?? '').toContain(
          'Indexing was cancelled.'
        )
      } finally {
        await browser.close()
        await new Promise((ok) => {
          child.on('exit', ok)
          child.kill('SIGINT')
        })
      }
    }
  )
})
