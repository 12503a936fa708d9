// The desktop app's engine child, for real: main's EngineProcess forks the compiled engine-child.js (npm run
// build:engine) under this machine's `node`, and every contract call travels over the Node IPC channel. The
// answers must equal those of the same CaptureSession in this process (what `peregrine serve` holds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { EngineProcess, engineChildScript, findNode } from '../../src-main/app/engine-process'
import { CaptureSession } from '../../src-main/engine/server/capture-session'
import { openIndex } from '../../src-main/engine/server/open-index'

const ROOT = resolve(__dirname, '../..')
const SAMPLE = join(ROOT, 'samples', 'container-shell.scap')
const SCRIPT = engineChildScript(join(ROOT, 'src-main', 'app'))

async function untilReady(api: EngineProcess['api']): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const s = await api['capture.status']({})
    if (s.phase !== 'indexing') return s.phase
    await new Promise((r) => setTimeout(r, 50))
  }
  return 'timeout'
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('engine child process (the Electron host runs the engine under plain node)', () => {
  const indexDir = mkdtempSync(join(tmpdir(), 'pg-engine-child-'))
  const prevIndexDir = process.env['PEREGRINE_INDEX_DIR']
  let child: EngineProcess
  const local = new CaptureSession(openIndex, true)

  beforeAll(async () => {
    process.env['PEREGRINE_INDEX_DIR'] = indexDir
    expect(SCRIPT, 'out/engine is built (npm run build:engine)').not.toBeNull()
    child = new EngineProcess({ node: findNode(), script: SCRIPT })
    await child.api['capture.open']({ path: SAMPLE })
    local.open(SAMPLE)
    expect(await untilReady(child.api)).toBe('ready')
    await local.ready
    expect(local.status().phase).toBe('ready')
  }, 120_000)

  afterAll(() => {
    child.close()
    local.close()
    if (prevIndexDir === undefined) delete process.env['PEREGRINE_INDEX_DIR']
    else process.env['PEREGRINE_INDEX_DIR'] = prevIndexDir
  })

  it.each([
    ['overview', {}],
    ['alerts', { window: null }],
    ['process.tree', { window: null, focus: null }],
    ['connections', { window: null }],
    ['io.top', { limit: 10 }],
    ['events', { window: null, filter: 'evt.type=execve', upid: null, offset: 0, limit: 50, count: true }]
  ] as const)('%s answers as the in-process session', async (name, args) => {
    const viaChild = await (child.api[name] as (a: unknown) => Promise<unknown>)(args)
    const here = await (local.api[name] as (a: unknown) => Promise<unknown>)(args)
    expect(viaChild).toEqual(here)
  })

  it('a malformed filter comes back as data, with its code and source range', async () => {
    const args = { window: null, filter: 'proc.name =', upid: null, offset: 0, limit: 5, count: false }
    const r = await child.api.events(args)
    expect(r).toMatchObject({ ok: false, error: { code: 'FLT_SYNTAX', start: 11, end: 11 } })
    expect(r).toEqual(await local.api.events(args))
  })

  it('exports the report, and PDF when Chromium is present', async () => {
    const html = await child.api['report.export']({ format: 'html' })
    expect(html).toMatchObject({ encoding: 'utf8', mime: 'text/html' })
    expect(html.text).toMatch(/^<!doctype html>/i)
    const pdf = await child.api['report.export']({ format: 'pdf' })
    expect(pdf.encoding).toBe('base64')
    expect(Buffer.from(pdf.text, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')
  }, 60_000)

  it.each([
    ['events', { filter: 7 }, /unknown key|expected/],
    ['capture.open', { path: '/etc/passwd' }, /not a \.scap or \.scap\.gz file/],
    ['process.detail', { upid: 999_999 }, /no process 999999/]
  ] as const)('%s %j fails with its reason', async (name, args, why) => {
    await expect((child.api[name] as (a: unknown) => Promise<unknown>)(args)).rejects.toThrow(why)
  })

  it('a killed engine fails the pending call with the reason; the next call starts a fresh one', async () => {
    const pid = child.pid
    expect(pid).not.toBeNull()
    const pending = child.api['report.export']({ format: 'json' })
    process.kill(pid ?? 0, 'SIGKILL')
    await expect(pending).rejects.toThrow(/engine process exited \(SIGKILL\)/)
    expect(child.running).toBe(false)
    expect(await child.api['capture.status']({})).toMatchObject({ phase: 'none' })
    expect(child.pid).not.toBe(pid)
  })

  it('the child exits when the app closes it', async () => {
    const pid = child.pid ?? 0
    expect(alive(pid)).toBe(true)
    child.close()
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20))
    expect(alive(pid)).toBe(false)
  })
})

describe('finding node and the engine', () => {
  it('takes PEREGRINE_NODE, else the first executable node on PATH', () => {
    const a = mkdtempSync(join(tmpdir(), 'pg-path-a-'))
    const b = mkdtempSync(join(tmpdir(), 'pg-path-b-'))
    writeFileSync(join(a, 'node'), '') // not executable: skipped
    writeFileSync(join(b, 'node'), '#!/bin/sh\n')
    chmodSync(join(b, 'node'), 0o755)
    expect(findNode({ PATH: `${a}:${b}` })).toBe(join(b, 'node'))
    expect(findNode({ PATH: a })).toBeNull()
    expect(findNode({ PATH: a, PEREGRINE_NODE: '/opt/node20/bin/node' })).toBe('/opt/node20/bin/node')
  })

  it('finds the child beside out/main in a build, else under the repository', () => {
    const built = mkdtempSync(join(tmpdir(), 'pg-built-'))
    mkdirSync(join(built, 'main'))
    mkdirSync(join(built, 'engine', 'engine', 'server'), { recursive: true })
    writeFileSync(join(built, 'engine', 'engine', 'server', 'engine-child.js'), '')
    expect(engineChildScript(join(built, 'main'))).toBe(
      join(built, 'engine', 'engine', 'server', 'engine-child.js')
    )
    expect(SCRIPT).toBe(join(ROOT, 'out', 'engine', 'engine', 'server', 'engine-child.js'))
  })

  it.each([
    [{ node: null, script: SCRIPT }, /no `node` was found on PATH \(set PEREGRINE_NODE/],
    [{ node: process.execPath, script: null }, /engine is not built: run `npm run build:engine`/],
    [{ node: '/nonexistent/node', script: SCRIPT }, /engine process could not run/]
  ])('says why the engine cannot start (%#)', async (opts, why) => {
    const e = new EngineProcess(opts)
    await expect(e.api['capture.status']({})).rejects.toThrow(why)
    e.close()
  })
})
