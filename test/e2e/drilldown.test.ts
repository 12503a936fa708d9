// Drill-downs in chromium: following curl's connection in curl_google.scap (from the Inspect view's top
// connections) shows the HTTP request that sysdig prints in the sendto data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { haveChromium, serveAndOpen, shot } from './browser'
import type { ServedPage, Watched } from './browser'

const CURL = resolve(
  __dirname,
  '../../../shared/corpus/files/falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap'
)
let page: ServedPage
let w: Watched

describe.skipIf(!haveChromium() || !existsSync(CURL))('drill-downs on curl_google.scap', () => {
  beforeAll(async () => {
    page = await serveAndOpen(CURL)
    w = page.w
  })
  afterAll(async () => {
    await page.close()
  })

  it('following the busiest connection shows the HTTP request curl sent', async () => {
    const base = page.base
    await w.page.goto(`${base}#/inspect`)
    const link = w.page.getByTestId('top-connections').locator('a').first()
    await link.waitFor()
    const name = (await link.textContent()) ?? ''
    await link.click()
    await w.page.getByTestId('stream-chunk').first().waitFor()
    const text = (await w.page.locator('main').textContent()) ?? ''
    expect(text).toContain(`Stream: ${name}`)
    expect(text).toContain('GET / HTTP/1.1')
    expect(text).toContain('Host: www.google.com')
    if (existsSync('/usr/bin/sysdig')) {
      // sysdig prints the same request in the data of a sendto on that connection
      const line = execFileSync('sysdig', ['-r', CURL, `evt.type=sendto and evt.dir=< and fd.name=${name}`])
        .toString()
        .split('\n')[0]
      expect(line).toContain('data=GET / HTTP/1.1..Host: www.google.com')
    }
    await w.page.getByRole('button', { name: 'Hex' }).click()
    expect((await w.page.locator('.chunk-data').first().textContent()) ?? '').toMatch(
      /^00000000 {2}47 45 54 20/
    )
    await shot(w.page, 'stream')
    await w.page.goto(`${base}#/inspect`)
    await w.page.getByTestId('top-connections').waitFor()
    await shot(w.page, 'inspect')
    expect(w.pageErrors).toEqual([])
    expect(await w.cspViolations()).toEqual([])
  })
})
