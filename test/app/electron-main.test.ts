// Electron main wiring under plain Node: 'electron' is replaced by a recorder of what main registers
// (the binary cannot run here). Checks window security, IPC sender and argument validation, menus, CSP.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CHANNEL_NAMES, ipcName } from '../../src-main/common/ipc-contract'

type Handler = (e: unknown, args?: unknown) => Promise<{ ok: boolean; error?: string; result?: unknown }>
interface Recorded {
  handlers: Map<string, Handler>
  windows: { opts: { webPreferences: Record<string, unknown> }; loaded: string[] }[]
  appEvents: Map<string, (...a: unknown[]) => void>
  menu: unknown
  headerHook: null | ((d: unknown, done: (r: unknown) => void) => void)
  external: string[]
  sandboxed: boolean
}
const rec = vi.hoisted((): Recorded => ({
  handlers: new Map(),
  windows: [],
  appEvents: new Map(),
  menu: undefined,
  headerHook: null,
  external: [],
  sandboxed: false
}))

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = []
    webContents = { id: 7 }
    loaded: string[] = []
    constructor(public opts: { webPreferences: Record<string, unknown> }) {
      BrowserWindow.all.push(this)
      rec.windows.push(this)
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
      quit: vi.fn()
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

beforeAll(async () => {
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
})
