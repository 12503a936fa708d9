/**
 * `peregrine serve FILE [--port N]`: index FILE and serve the UI on 127.0.0.1 with a session token.
 * Runs until interrupted.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs, flag, UsageError } from './args'
import { CaptureSession } from '../server/capture-session'
import { rendererDir, startServer } from '../server/http-server'
import type { RunningServer } from '../server/http-server'
import { openIndex } from '../server/open-index'

const USAGE = 'usage: peregrine serve FILE [--port N]\n'

export interface Served {
  server: RunningServer
  session: CaptureSession
}

/** Starts indexing `file` and the server; shared with `peregrine start`. */
export async function serveCapture(file: string | null, port: number): Promise<Served> {
  const staticDir = rendererDir()
  if (!existsSync(resolve(staticDir, 'index.html')))
    throw new UsageError(`the UI is not built (${staticDir}); run \`npm run build\` first`)
  const session = new CaptureSession(openIndex, false)
  if (file !== null) session.open(resolve(file))
  const server = await startServer({ api: session.api, staticDir, port })
  return { server, session }
}

/** Keeps the process alive until SIGINT/SIGTERM, then closes cleanly. */
export function untilInterrupted(s: Served): Promise<number> {
  return new Promise((ok) => {
    const stop = (): void => {
      s.session.close()
      void s.server.close().then(() => {
        ok(0)
      })
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

export async function run(argv: string[]): Promise<number> {
  try {
    const p = parseArgs(argv, { port: { names: ['--port'], value: true }, help: { names: ['-h', '--help'] } })
    if (p.flags.has('help')) {
      process.stdout.write(USAGE)
      return 0
    }
    const file = p.positional[0]
    if (file === undefined || p.positional.length > 1) throw new UsageError('expected one capture file')
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`)
    const portText = flag(p, 'port') ?? '0'
    const port = Number(portText)
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`bad port: ${portText}`)
    const served = await serveCapture(file, port)
    process.stdout.write(`Peregrine: serving ${file}\n  ${served.server.url}\n(Ctrl-C to stop)\n`)
    return await untilInterrupted(served)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`peregrine serve: ${e.message}\n${USAGE}`)
      return 2
    }
    throw e
  }
}
