// `npm start`: which host opens, and why the browser fallback was taken; which sample is the demo.
import { describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chooseHost, demoCapture } from '../../src-main/engine/cli/cmd-start'
import type { HostFacts } from '../../src-main/engine/cli/cmd-start'

const facts = (o: Partial<HostFacts>): HostFacts => ({
  electronPathTxt: 'electron',
  electronDir: '/e',
  binaryExists: () => true,
  env: { DISPLAY: ':0' },
  platform: 'linux',
  ...o
})

describe('peregrine start: host choice', () => {
  it.each<[string, Partial<HostFacts>, string, RegExp | null]>([
    ['binary and display', {}, 'electron', null],
    ['Wayland only', { env: { WAYLAND_DISPLAY: 'wayland-0' } }, 'electron', null],
    ['macOS without DISPLAY', { env: {}, platform: 'darwin' }, 'electron', null],
    [
      'binary never downloaded',
      { electronPathTxt: null, env: { DISPLAY: ':0', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
      'browser',
      /^Electron binary not installed \(npm skipped its download: ELECTRON_SKIP_BINARY_DOWNLOAD=1\)$/
    ],
    [
      'path.txt without binary',
      { binaryExists: () => false },
      'browser',
      /^Electron binary missing at \/e\/dist\/electron$/
    ],
    ['no display on linux', { env: {} }, 'browser', /no DISPLAY/],
    ['forced', { env: { DISPLAY: ':0', PEREGRINE_NO_ELECTRON: '1' } }, 'browser', /PEREGRINE_NO_ELECTRON/]
  ])('%s', (_n, f, host, why) => {
    const c = chooseHost(facts(f))
    expect(c.host).toBe(host)
    if (why === null) {
      expect(c.reason).toBeNull()
      expect(c.electronPath).toBe('/e/dist/electron')
    } else expect(c.reason).toMatch(why)
  })
})

describe('peregrine start: demo capture', () => {
  it('takes the MANIFEST row marked DEMO, else a name with demo, else the first capture', () => {
    const root = mkdtempSync(join(tmpdir(), 'peregrine-start-'))
    expect(demoCapture(root)).toBeNull()
    mkdirSync(join(root, 'samples'))
    for (const n of ['a.scap', 'b-demo.scap.gz', 'c.scap', 'notes.txt'])
      writeFileSync(join(root, 'samples', n), '')
    expect(demoCapture(root)).toBe(join(root, 'samples', 'b-demo.scap.gz'))
    writeFileSync(
      join(root, 'samples', 'MANIFEST.tsv'),
      'file\tscenario\tshows\nc.scap\tx.sh\tDEMO. a shell\n'
    )
    expect(demoCapture(root)).toBe(join(root, 'samples', 'c.scap'))
    expect(demoCapture(resolve(__dirname, '../..'))).toMatch(/samples\/container-shell\.scap$/)
  })
})
