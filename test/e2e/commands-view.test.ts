// The commands (Inspect) view in chromium on the Kubernetes capture: it lists the command typed in the
// container's interactive shell, `curl backend.critical-app.svc.cluster.local`, run as root — the line
// `sysdig -c spy_users` prints for that capture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { haveChromium, serveAndOpen, shot } from './browser'
import type { ServedPage, Watched } from './browser'

const K8S = resolve(
  __dirname,
  '../../../shared/corpus/files/bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'
)
const CMD = 'curl backend.critical-app.svc.cluster.local'
let page: ServedPage
let w: Watched

describe.skipIf(!haveChromium() || !existsSync(K8S))('commands view on the Kubernetes capture', () => {
  beforeAll(async () => {
    page = await serveAndOpen(K8S)
    w = page.w
  }, 60_000)
  afterAll(async () => {
    await page.close()
  })

  it('the Inspect tab lists the curl command typed as root in the container', async () => {
    await w.page.getByRole('link', { name: 'Inspect' }).click()
    const table = w.page.getByTestId('commands')
    await table.waitFor()
    const rows = table.locator('tbody tr')
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim()))
    )
    // columns: Time, User, Login, Container, Shell, Command
    const curl = cells.filter((c) => c[5] === CMD)
    expect(curl).toHaveLength(1)
    expect(curl[0]?.[1]).toBe('root')
    expect(curl[0]?.[3]).toBe('b3a718d8b339')
    expect(curl[0]?.[4]).toContain('14330')
    if (existsSync('/usr/bin/sysdig')) {
      // the oracle: spy_users prints "<shell pid> <time> <user>) <command>"
      const spy = execFileSync('/usr/bin/sysdig', ['-r', K8S, '-c', 'spy_users'], {
        env: { ...process.env, TZ: 'UTC' }
      })
        .toString()
        .replace(/\x1b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex
      expect(spy).toContain(`14330 15:41:39 root) ${CMD}`)
    }
    await shot(w.page, 'commands-k8s')
    expect(w.pageErrors).toEqual([])
    expect(await w.cspViolations()).toEqual([])
  })
})
