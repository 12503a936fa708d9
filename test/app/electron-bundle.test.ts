// The Electron app as built (`electron-vite build`, not the sources): the main bundle requires only electron
// and Node builtins (never better-sqlite3: the engine runs in a child node), the preload only electron, and
// the main bundle — loaded under node with a stand-in 'electron' — finds its renderer, preload and the engine
// child from out/main, opens the demo capture (command line, then IPC) and answers the overview.
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, resolve } from 'node:path'
import { CHANNEL_NAMES } from '../../src-main/common/ipc-contract'

const ROOT = resolve(__dirname, '../..')
const MAIN = join(ROOT, 'out/main/index.js')
const PRELOAD = join(ROOT, 'out/preload/index.js')
const DEMO = join(ROOT, 'samples/container-shell.scap')

function requires(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1] ?? '')
}

const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' })

describe('the built Electron app', () => {
  it('builds', () => {
    expect(built.status, built.stderr).toBe(0)
    for (const f of [MAIN, PRELOAD, join(ROOT, 'out/renderer/index.html')])
      expect(existsSync(f), f).toBe(true)
  })

  it.each([
    [MAIN, (r: string) => r === 'electron' || builtinModules.includes(r.replace(/^node:/, ''))],
    [PRELOAD, (r: string) => r === 'electron']
  ])('%s requires only what its process may load', (file, allowed) => {
    const reqs = requires(file)
    expect(reqs).toContain('electron')
    expect(reqs.filter((r) => !allowed(r))).toEqual([])
  })

  it('runs: finds renderer, preload and engine child from out/main, and answers over IPC', () => {
    expect(existsSync(join(ROOT, 'out/engine/engine/server/engine-child.js')), 'npm run build:engine').toBe(
      true
    )
    const r = spawnSync(process.execPath, [join(__dirname, 'tools/drive-electron-bundle.mjs'), MAIN, DEMO], {
      encoding: 'utf8',
      timeout: 120_000
    })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>
    expect(out['channels']).toBe(CHANNEL_NAMES.length)
    expect(out['loaded']).toBe(join(ROOT, 'out/renderer/index.html'))
    expect(out['preload']).toBe(PRELOAD)
    // main opens the capture named on its command line at start
    expect(out['status']).toMatchObject({ ok: true, result: { path: DEMO } })
    expect(out['open']).toMatchObject({ ok: true })
    expect(out['ready']).toMatchObject({ ok: true, result: { phase: 'ready', error: null } })
    expect(out['overview']).toMatchObject({ ok: true, result: { hostname: 'vm', alerts: 1 } })
    expect(out['title']).toBe('Peregrine — container-shell.scap')
    expect(out['quit']).toBe(true)
    expect(out['dialogs']).toEqual([])
  })
})
