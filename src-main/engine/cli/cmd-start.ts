/**
 * `peregrine start [FILE]` (what `npm start` runs): open the desktop app on FILE, or on the demo capture in
 * samples/, when the Electron binary and a display exist; otherwise serve the same UI on 127.0.0.1 and say
 * why. The decision is a pure function (`chooseHost`) so it can be tested without either.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { flag, parseArgs, UsageError } from './args'
import { serveCapture, untilInterrupted } from './cmd-serve'

export interface HostChoice {
  host: 'electron' | 'browser'
  /** why the browser was chosen (null for electron) */
  reason: string | null
  electronPath: string | null
}

export interface HostFacts {
  /** contents of node_modules/electron/path.txt, or null when absent (binary never downloaded) */
  electronPathTxt: string | null
  electronDir: string
  binaryExists: (p: string) => boolean
  env: Record<string, string | undefined>
  platform: string
}

export function chooseHost(f: HostFacts): HostChoice {
  const browser = (reason: string): HostChoice => ({ host: 'browser', reason, electronPath: null })
  if (f.env['PEREGRINE_NO_ELECTRON'] === '1') return browser('PEREGRINE_NO_ELECTRON=1')
  if (f.electronPathTxt === null) {
    const why = f.env['ELECTRON_SKIP_BINARY_DOWNLOAD'] === '1' ? ': ELECTRON_SKIP_BINARY_DOWNLOAD=1' : ''
    return browser(`Electron binary not installed (npm skipped its download${why})`)
  }
  const bin = join(f.electronDir, 'dist', f.electronPathTxt.trim())
  if (!f.binaryExists(bin)) return browser(`Electron binary missing at ${bin}`)
  if (f.platform === 'linux' && !f.env['DISPLAY'] && !f.env['WAYLAND_DISPLAY'])
    return browser('no DISPLAY (no graphical session)')
  return { host: 'electron', reason: null, electronPath: bin }
}

function repoRoot(): string {
  let dir = resolve(__dirname)
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'peregrine.js'))) return dir
    dir = resolve(dir, '..')
  }
  return process.cwd()
}

/**
 * The demo capture: the samples/MANIFEST.tsv row whose description starts with "DEMO", else a file with
 * "demo" in its name, else the first samples/*.scap[.gz].
 */
export function demoCapture(root: string): string | null {
  const dir = join(root, 'samples')
  if (!existsSync(dir)) return null
  const names = readdirSync(dir)
    .filter((n) => /\.scap(\.gz)?$/i.test(n))
    .sort()
  let manifest: string | undefined
  try {
    const rows = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n')
    manifest = rows.map((r) => r.split('\t')).find((c) => (c[2] ?? '').startsWith('DEMO'))?.[0]
  } catch {
    manifest = undefined
  }
  const pick = [manifest, names.find((n) => n.includes('demo')), names[0]].find(
    (n) => n !== undefined && names.includes(n)
  )
  return pick === undefined ? null : join(dir, pick)
}

function hostFacts(root: string): HostFacts {
  const electronDir = join(root, 'node_modules', 'electron')
  const pathTxt = join(electronDir, 'path.txt')
  return {
    electronPathTxt: existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8') : null,
    electronDir,
    binaryExists: existsSync,
    env: process.env,
    platform: process.platform
  }
}

export async function run(argv: string[]): Promise<number> {
  let file: string | null
  let port: number
  try {
    const p = parseArgs(argv, { port: { names: ['--port'], value: true } })
    const root = repoRoot()
    file = p.positional[0] ?? demoCapture(root)
    port = Number(flag(p, 'port') ?? '0')
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('bad port')
    if (file !== null && !existsSync(file)) throw new UsageError(`no such file: ${file}`)
    const choice = chooseHost(hostFacts(root))
    if (choice.host === 'electron' && choice.electronPath !== null) {
      const main = join(root, 'out', 'main', 'index.js')
      if (!existsSync(main)) {
        process.stdout.write('Peregrine: building the desktop app (electron-vite build)…\n')
        const b = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
        if (b.status !== 0 || !existsSync(main))
          throw new UsageError('the desktop app did not build; run `npm run build:app`')
      }
      const child = spawn(choice.electronPath, [main, ...(file === null ? [] : [file])], { stdio: 'inherit' })
      return await new Promise<number>((ok) => {
        child.on('exit', (code) => {
          ok(code ?? 0)
        })
      })
    }
    const served = await serveCapture(file, port)
    process.stdout.write(
      `Peregrine: not opening the desktop app: ${choice.reason ?? ''}.\n` +
        `Serving the same UI on 127.0.0.1 instead${file === null ? ' (no capture in samples/)' : ` for ${file}`}:\n` +
        `  ${served.server.url}\n(Ctrl-C to stop)\n`
    )
    return await untilInterrupted(served)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`peregrine start: ${e.message}\n`)
      return 2
    }
    throw e
  }
}
