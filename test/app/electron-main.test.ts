// Electron main wiring under plain Node: 'electron' is replaced by a recorder of what main registers
// (the binary cannot run here). Checks window security, IPC sender and argument validation, menus, CSP,
// and that calls reach the real engine child (forked under node). The hidden print window's
// printToPDF is played by Debian's Chromium with the window's own JavaScript setting.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { existsSync, mkdtempSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CHANNEL_NAMES, ipcName } from '../../src-main/common/ipc-contract'

type Handler = (e: unknown, args?: unknown) => Promise<{ ok: boolean; error?: string; result?: unknown }>
interface Recorded {
  handlers: Map<string, Handler>
  windows: {
    opts: { show?: boolean; webPreferences: Record<string, unknown> }
    loaded: string[]
    destroyed: boolean
  }[]
  printed: { options: Record<string, unknown>; file: string; existed: boolean }[]
  appEvents: Map<string, (...a: unknown[]) => void>
  menu: unknown
  headerHook: null | ((d: unknown, done: (r: unknown) => void) => void)
  external: string[]
  sandboxed: boolean
  quit: boolean
}
const rec = vi.hoisted((): Recorded => ({
  handlers: new Map(),
  windows: [],
  printed: [],
  appEvents: new Map(),
  menu: undefined,
  headerHook: null,
  external: [],
  sandboxed: false,
  quit: false
}))

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = []
    loaded: string[] = []
    destroyed = false
    webContents = {
      id: 7,
      printToPDF: async (options: Record<string, unknown>): Promise<Buffer> => {
        const file = this.loaded[this.loaded.length - 1] ?? ''
        rec.printed.push({ options, file, existed: existsSync(file) })
        const browser = await chromium.launch({
          executablePath: '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
        })
        try {
          const ctx = await browser.newContext({
            javaScriptEnabled: this.opts.webPreferences['javascript'] !== false
          })
          const page = await ctx.newPage()
          await page.goto(pathToFileURL(file).href)
          return await page.pdf({ format: String(options['pageSize']), printBackground: true })
        } finally {
          await browser.close()
        }
      }
    }
    constructor(public opts: { show?: boolean; webPreferences: Record<string, unknown> }) {
      BrowserWindow.all.push(this)
      rec.windows.push(this)
    }
    destroy(): void {
      this.destroyed = true
    }
    static getAllWindows(): BrowserWindow[] {
      return BrowserWindow.all
    }
    loadFile(f: string): Promise<void> {
      this.loaded.push(f)
      return Promise.resolve()
    }
    once(): void {}
    on(): void {}
    setTitle(): void {}
    show(): void {}
  }
  return {
    app: {
      enableSandbox: () => {
        rec.sandboxed = true
      },
      on: (ev: string, fn: (...a: unknown[]) => void) => rec.appEvents.set(ev, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => mkdtempSync(join(tmpdir(), 'peregrine-userdata-')),
      quit: () => {
        rec.quit = true
      }
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: Handler) => rec.handlers.set(ch, fn) },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => {
        rec.menu = m
      }
    },
    dialog: { showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (fn: (d: unknown, done: (r: unknown) => void) => void) => {
            rec.headerHook = fn
          }
        }
      }
    },
    shell: {
      openExternal: (u: string) => {
        rec.external.push(u)
        return Promise.resolve()
      }
    }
  }
})

const rendererUrl = pathToFileURL(resolve(__dirname, '../../src-main/renderer/index.html')).href
const fromRenderer = { sender: { id: 7 }, senderFrame: { url: rendererUrl, parent: null } }

const indexDir = mkdtempSync(join(tmpdir(), 'pg-electron-index-'))
const SAMPLE = resolve(__dirname, '../../samples/container-shell.scap')

beforeAll(async () => {
  // the engine child inherits this: indexes go to a temporary folder
  process.env['PEREGRINE_INDEX_DIR'] = indexDir
  await import('../../src-main/app/index')
  await vi.waitFor(() => {
    expect(rec.handlers.size).toBe(CHANNEL_NAMES.length)
  })
})

describe('Electron main', () => {
  it('opens one sandboxed, context-isolated window without Node on the built renderer', () => {
    expect(rec.sandboxed).toBe(true)
    expect(rec.windows).toHaveLength(1)
    const w = rec.windows[0]
    expect(w?.opts.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    })
    expect(String(w?.opts.webPreferences['preload'])).toMatch(/preload[\\/]index\.js$/)
    expect(w?.loaded[0]).toMatch(/renderer[\\/]index\.html$/)
  })

  it('registers one IPC handler per contract channel', () => {
    expect([...rec.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcName).sort())
  })

  it('answers our renderer and refuses other senders', async () => {
    const h = rec.handlers.get(ipcName('capture.status'))
    expect(await h?.(fromRenderer, {})).toMatchObject({ ok: true, result: { phase: 'none' } })
    for (const bad of [
      { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 7 }, senderFrame: { url: rendererUrl, parent: {} } },
      { sender: { id: 99 }, senderFrame: { url: rendererUrl, parent: null } },
      { sender: { id: 7 }, senderFrame: null }
    ])
      expect(await h?.(bad, {})).toEqual({ ok: false, error: 'untrusted sender', code: 'contract' })
  })

  it('validates arguments against the contract', async () => {
    const ev = rec.handlers.get(ipcName('events'))
    const r = await ev?.(fromRenderer, { filter: 1, window: null, upid: null, offset: 0, limit: 5 })
    expect(r).toMatchObject({ ok: false, code: 'contract' })
    expect(r?.error).toMatch(/events\.filter: expected a string/)
    const open = rec.handlers.get(ipcName('capture.open'))
    expect(await open?.(fromRenderer, { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: 'not a .scap or .scap.gz file'
    })
    const q = rec.handlers.get(ipcName('overview'))
    expect(await q?.(fromRenderer, {})).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not ready/) as unknown
    })
  })

  it('builds the File menu (Record… only as root)', () => {
    const menu = rec.menu as { label: string; submenu: { label?: string; enabled?: boolean }[] }[]
    const file = menu.find((m) => m.label === 'File')?.submenu.map((i) => i.label) ?? []
    expect(file).toEqual(expect.arrayContaining(['Open…', 'Open Recent', 'Load Rules…', 'Export Report…']))
    expect(file.includes('Record…')).toBe(typeof process.geteuid === 'function' && process.geteuid() === 0)
  })

  it('blocks navigation, new windows and permissions; opens only allow-listed https links outside', () => {
    const created = rec.appEvents.get('web-contents-created')
    const on = new Map<string, (e: { preventDefault: () => void }, url?: string) => void>()
    let openHandler: ((d: { url: string }) => { action: string }) | null = null
    let permission: ((wc: unknown, p: string, done: (ok: boolean) => void) => void) | null = null
    created?.(
      {},
      {
        on: (ev: string, fn: (e: { preventDefault: () => void }, url?: string) => void) => on.set(ev, fn),
        setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => {
          openHandler = fn
        },
        session: {
          setPermissionRequestHandler: (
            fn: (wc: unknown, p: string, done: (ok: boolean) => void) => void
          ) => {
            permission = fn
          }
        }
      }
    )
    const prevented = vi.fn()
    on.get('will-navigate')?.({ preventDefault: prevented }, 'http://evil.example/')
    on.get('will-navigate')?.({ preventDefault: prevented }, 'https://falco.org/docs/')
    expect(prevented).toHaveBeenCalledTimes(2)
    expect(openHandler).not.toBeNull()
    const oh = openHandler as unknown as (d: { url: string }) => { action: string }
    expect(oh({ url: 'https://attack.mitre.org/tactics/TA0006/' })).toEqual({ action: 'deny' })
    expect(oh({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(oh({ url: 'https://falco.org.evil.example/' })).toEqual({ action: 'deny' })
    expect(rec.external).toEqual(['https://falco.org/docs/', 'https://attack.mitre.org/tactics/TA0006/'])
    const answers: boolean[] = []
    ;(permission as unknown as (wc: unknown, p: string, done: (ok: boolean) => void) => void)(
      {},
      'media',
      (ok) => answers.push(ok)
    )
    expect(answers).toEqual([false])
  })

  it('adds the CSP and nosniff headers to responses', () => {
    let out: { responseHeaders: Record<string, string[]> } | null = null
    rec.headerHook?.({ responseHeaders: { a: ['b'] } }, (r) => {
      out = r as { responseHeaders: Record<string, string[]> }
    })
    const headers = (out as unknown as { responseHeaders: Record<string, string[]> }).responseHeaders
    expect(headers['Content-Security-Policy']?.[0]).toMatch(/^default-src 'self'; script-src 'self'/)
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff'])
    expect(headers['a']).toEqual(['b'])
  })

  it('forwards calls to the engine child: open a capture, then export the report as PDF via printToPDF', async () => {
    const open = rec.handlers.get(ipcName('capture.open'))
    expect(await open?.(fromRenderer, { path: SAMPLE })).toMatchObject({ ok: true })
    const status = rec.handlers.get(ipcName('capture.status'))
    await vi.waitFor(
      async () => {
        expect(await status?.(fromRenderer, {})).toMatchObject({ ok: true, result: { phase: 'ready' } })
      },
      { timeout: 60_000, interval: 100 }
    )
    const overview = await rec.handlers.get(ipcName('overview'))?.(fromRenderer, {})
    expect(overview).toMatchObject({ ok: true, result: { events: expect.any(Number) as unknown } })
    const r = await rec.handlers.get(ipcName('report.export'))?.(fromRenderer, { format: 'pdf' })
    expect(r).toMatchObject({ ok: true, result: { mime: 'application/pdf', encoding: 'base64' } })
    const f = r?.result as { filename: string; text: string }
    expect(f.filename).toMatch(/^peregrine-report-[0-9a-f]{16}\.pdf$/)
    expect(Buffer.from(f.text, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')
    // printed in a hidden window without JavaScript, from a temporary file removed afterwards
    const printWin = rec.windows.find((w) => w.opts.webPreferences['javascript'] === false)
    expect(printWin?.opts.show).toBe(false)
    expect(printWin?.opts.webPreferences).toMatchObject({ sandbox: true, nodeIntegration: false })
    expect(printWin?.destroyed).toBe(true)
    expect(rec.printed).toHaveLength(1)
    expect(rec.printed[0]).toMatchObject({
      existed: true,
      options: { pageSize: 'A4', printBackground: true }
    })
    expect(existsSync(rec.printed[0]?.file ?? '')).toBe(false)
  }, 90_000)
})

afterAll(() => {
  // closing the last window stops the engine child and quits
  rec.appEvents.get('window-all-closed')?.()
  expect(rec.quit).toBe(true)
})
