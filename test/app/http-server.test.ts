// The HTTP server of `peregrine serve`: token, Host header, headers, contract validation, static files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, CSP } from '../../src-main/engine/server/http-server'
import type { RunningServer } from '../../src-main/engine/server/http-server'
import { CaptureSession } from '../../src-main/engine/server/capture-session'
import { fixtureBackend } from './fixture-backend'

interface Res {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let srv: RunningServer
const TOKEN = 'test-token-0123456789'

function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Res> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: srv.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${srv.port}`, ...opts.headers }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          ok({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        })
      }
    )
    req.on('error', fail)
    req.end(opts.body)
  })
}

const auth = { cookie: `peregrine_token=${TOKEN}` }
const api = (channel: string, body: unknown, headers: Record<string, string> = auth): Promise<Res> =>
  call(`/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)')
  writeFileSync(join(dir, '..', 'secret.txt'), 'secret')
  const session = new CaptureSession(() => Promise.resolve(fixtureBackend()), false)
  session.open('/x/demo.scap')
  await session.ready
  srv = await startServer({ api: session.api, staticDir: dir, token: TOKEN })
})
afterAll(async () => {
  await srv.close()
})

describe('peregrine serve HTTP server', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=${TOKEN}`)
    expect(srv.server.address()).toMatchObject({ address: '127.0.0.1' })
  })

  it.each([
    ['no token', '/', {}],
    ['wrong token in the URL', '/?token=nope', {}],
    ['wrong cookie', '/', { cookie: 'peregrine_token=nope' }],
    ['wrong header', '/', { 'x-peregrine-token': 'x' + TOKEN.slice(1) }],
    ['api without token', '/api/overview', {}],
    ['foreign Host header', '/', { ...auth, host: 'evil.example:80' }],
    ['Host with another port', '/', { ...auth, host: '127.0.0.1:1' }]
  ])('refuses %s with 403', async (_name, path, headers) => {
    const r = await call(path, { headers })
    expect(r.status).toBe(403)
    expect(r.headers['content-security-policy']).toBe(CSP)
  })

  it('trades the URL token for an HttpOnly SameSite cookie and redirects to a clean URL', async () => {
    const r = await call(`/?token=${TOKEN}`)
    expect(r.status).toBe(303)
    expect(r.headers.location).toBe('/')
    expect(String(r.headers['set-cookie'])).toMatch(
      /peregrine_token=test-token-0123456789; HttpOnly; SameSite=Strict/
    )
  })

  it('serves the renderer with a strict CSP and nosniff', async () => {
    for (const h of <Record<string, string>[]>[
      auth,
      { 'x-peregrine-token': TOKEN },
      { ...auth, host: `localhost:${srv.port}` }
    ]) {
      const r = await call('/', { headers: h })
      expect(r.status).toBe(200)
      expect(r.body).toContain('<title>t</title>')
      expect(r.headers['content-security-policy']).toBe(CSP)
      expect(r.headers['x-content-type-options']).toBe('nosniff')
    }
    expect(CSP).toContain("default-src 'self'")
    expect(CSP).not.toContain('unsafe-inline')
    const js = await call('/assets/a.js', { headers: auth })
    expect(js.headers['content-type']).toMatch(/^text\/javascript/)
  })

  it('answers /favicon.ico with 204 and refuses paths outside the renderer', async () => {
    expect((await call('/favicon.ico')).status).toBe(204)
    expect((await call('/../secret.txt', { headers: auth })).status).toBe(404)
    expect((await call('/%2e%2e/secret.txt', { headers: auth })).status).toBe(404)
  })

  it('answers API calls from the session', async () => {
    const r = await api('overview', {})
    expect(r.status).toBe(200)
    const j = JSON.parse(r.body) as { ok: boolean; result: { events: number } }
    expect(j).toMatchObject({ ok: true, result: { events: 1000 } })
    const st = JSON.parse((await api('capture.status', {})).body) as { result: { phase: string } }
    expect(st.result.phase).toBe('ready')
  })

  it.each([
    ['events', { filter: 'x', window: null, upid: null, offset: -1, limit: 10 }, /offset: out of range/],
    [
      'events',
      { filter: 'x', window: null, upid: null, offset: 0, limit: 10, extra: 1 },
      /extra: unknown key/
    ],
    ['timeline', { window: { from: '1<script>', to: '2' }, buckets: 10 }, /decimal ns/],
    ['process.detail', { upid: '1' }, /expected an integer/],
    ['capture.open', { path: '/etc/passwd' }, /serves one capture/]
  ])('rejects bad arguments to %s', async (channel, body, msg) => {
    const r = await api(channel, body)
    const j = JSON.parse(r.body) as { ok: boolean; error: string }
    expect(j.ok).toBe(false)
    expect(j.error).toMatch(msg)
    expect(r.status).toBe(channel === 'capture.open' ? 500 : 400)
  })

  it('takes API calls only as JSON POSTs to known channels', async () => {
    expect((await call('/api/overview', { headers: auth })).status).toBe(405)
    expect(
      (
        await call('/api/overview', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: '{}'
        })
      ).status
    ).toBe(415)
    expect((await api('nope', {})).status).toBe(404)
    expect(
      (
        await call('/api/overview', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{'
        })
      ).status
    ).toBe(400)
  })
})
