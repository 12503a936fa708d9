/**
 * The HTTP face of the engine for `peregrine serve` and `npm start` without Electron: the built renderer
 * plus POST /api/<channel> mirroring the IPC contract.
 *
 * Security model (the UI shows attacker-controlled strings from captures, and any local web page could try
 * to talk to a port on 127.0.0.1):
 * - binds 127.0.0.1 only;
 * - every request must carry the random session token (first in the URL, then as an HttpOnly SameSite
 *   cookie or the X-Peregrine-Token header), else 403;
 * - the Host header must name this loopback port (defeats DNS rebinding), else 403;
 * - API calls are POST with a JSON content type (a cross-site form cannot send one) and are validated
 *   against the contract;
 * - a strict CSP (no inline script or style, nothing but 'self') and nosniff on every response.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { ContractError, dispatch, isChannel, refusal } from '../../common/ipc-contract'
import type { EngineApi, Reply } from '../../common/ipc-contract'

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

const COOKIE = 'peregrine_token'
const MAX_BODY = 16 << 20

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

export interface ServeOptions {
  api: EngineApi
  /** folder holding the built renderer (index.html + assets) */
  staticDir: string
  /** 0 (default) picks a free port */
  port?: number
  /** fixed token for tests; random by default */
  token?: string
}

export interface RunningServer {
  server: Server
  port: number
  token: string
  /** the URL to open, token included */
  url: string
  close(): Promise<void>
}

function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store'
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra = {}): void {
  res.writeHead(status, { ...baseHeaders(), 'Content-Type': type, ...extra })
  res.end(body)
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie
  if (header === undefined) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim()
  }
  return null
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        fail(new ContractError('request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      ok(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', fail)
  })
}

async function handleApi(
  api: EngineApi,
  name: string,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const json = 'application/json; charset=utf-8'
  if (req.method !== 'POST') {
    send(res, 405, '{"ok":false,"error":"POST only"}', json, { Allow: 'POST' })
    return
  }
  const ctype = req.headers['content-type'] ?? ''
  if (!ctype.startsWith('application/json')) {
    send(res, 415, '{"ok":false,"error":"application/json only"}', json)
    return
  }
  if (!isChannel(name)) {
    send(res, 404, '{"ok":false,"error":"unknown channel"}', json)
    return
  }
  let reply: Reply<unknown>
  try {
    const text = await readBody(req)
    let raw: unknown
    try {
      raw = text === '' ? {} : (JSON.parse(text) as unknown)
    } catch {
      throw new ContractError('body is not JSON')
    }
    reply = await dispatch(api, name, raw)
  } catch (e) {
    reply = refusal(e)
  }
  const status = reply.ok ? 200 : reply.code === 'contract' ? 400 : 500
  send(res, status, JSON.stringify(reply), json)
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1))
  const file = resolve(root, rel)
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    send(res, 404, 'not found', 'text/plain; charset=utf-8')
    return
  }
  send(res, 200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream')
}

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const root = resolve(opts.staticDir)
  let port = 0
  const server = createServer((req, res) => {
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, 403, 'forbidden host', 'text/plain; charset=utf-8')
      return
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    // browsers ask for it unprompted; answering keeps the console free of a 404
    if (url.pathname === '/favicon.ico') {
      send(res, 204, '', 'text/plain')
      return
    }
    const inUrl = url.searchParams.get('token')
    const given = inUrl ?? (req.headers['x-peregrine-token'] as string | undefined) ?? cookieToken(req)
    if (given === null || given === undefined || !sameSecret(given, token)) {
      send(
        res,
        403,
        'forbidden: this server needs its session token (see the URL it printed)',
        'text/plain; charset=utf-8'
      )
      return
    }
    if (inUrl !== null) {
      // trade the URL token for a cookie and drop it from the address bar and history
      res.writeHead(303, {
        ...baseHeaders(),
        Location: url.pathname,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
      })
      res.end()
      return
    }
    if (url.pathname.startsWith('/api/')) {
      void handleApi(opts.api, url.pathname.slice(5), req, res)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'method not allowed', 'text/plain; charset=utf-8')
      return
    }
    serveStatic(root, url.pathname, res)
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      ok()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => {
          ok()
        })
      })
  }
}

/** The built renderer: out/renderer-web under the repository root (found from this file's location). */
export function rendererDir(from: string = __dirname): string {
  let dir = resolve(from)
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src-main')))
      return join(dir, 'out', 'renderer-web')
    dir = resolve(dir, '..')
  }
  return resolve(from, '../../../renderer-web')
}
