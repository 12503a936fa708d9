// The Inspect view's "Top files by errors" on the PSP capture: the rows of `sysdig -c topfiles_errors`
// (3 /dev/pts/ptmx), and the row's link opens the events view on those failed calls — as many rows as
// sysdig selects with the same filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { SYSDIG, sysdigCount, sysdigText, tableRows } from '../fixtures/sysdig-chisel'
import { haveChromium, serveAndOpen, poll, shot, shownTotal } from './browser'
import type { ServedPage, Watched } from './browser'

const PSP = resolve(
  __dirname,
  '../../../shared/corpus/files/falcosecurity__falco/test__trace_files__psp__run_as_user_0_container.scap'
)
let page: ServedPage
let w: Watched

describe.skipIf(!haveChromium() || !existsSync(PSP) || !existsSync(SYSDIG))('top files by errors', () => {
  beforeAll(async () => {
    page = await serveAndOpen(PSP)
    w = page.w
  })
  afterAll(async () => {
    await page.close()
  })

  it('shows the chisel rows, and a row leads to its failed calls', async () => {
    const chisel = tableRows(sysdigText(['-r', PSP, '-c', 'topfiles_errors']))
    expect(chisel).toEqual([['3', '/dev/pts/ptmx']])
    const base = page.base
    await w.page.goto(`${base}#/inspect`)
    const rows = w.page.getByTestId('top-files-errors').locator('tbody tr')
    await poll(() => rows.count()).toBe(chisel.length)
    expect((await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(
      chisel.map((r) => `${r[1] ?? ''}${r[0] ?? ''}`)
    )
    await shot(w.page, 'inspect-errors')
    await rows.first().locator('a').click()
    const filter = 'fd.name="/dev/pts/ptmx" and evt.failed=true'
    await poll(() => w.page.getByTestId('filter-input').inputValue()).toBe(filter)
    await poll(() => shownTotal(w.page)).toBe(sysdigCount(PSP, filter))
    expect(await shownTotal(w.page)).toBe(3)
    expect(w.pageErrors).toEqual([])
  })
})
