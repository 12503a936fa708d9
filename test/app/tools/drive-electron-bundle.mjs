// Loads the BUILT Electron main bundle (out/main/index.js) under plain node with a stand-in for the
// 'electron' module (the binary cannot run here), then drives it through its IPC handlers as our window
// would: status (main opened the capture given on its command line), open it again as a drop would, wait until indexed, overview; closes the app and prints what
// it saw as one JSON line. Used by test/app/electron-bundle.test.ts.
import Module, { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

const [mainJs, capture] = process.argv.slice(2)
const handlers = new Map()
const appEvents = new Map()
const windows = []
const dialogs = []
let quit = false

class BrowserWindow {
  constructor(opts) {
    this.opts = opts
    this.webContents = { id: 7 }
    this.loaded = null
    windows.push(this)
  }
  static getAllWindows() {
    return windows
  }
  loadFile(f) {
    this.loaded = f
    return Promise.resolve()
  }
  once() {}
  on() {}
  setTitle(t) {
    this.title = t
  }
  show() {}
}

const electron = {
  app: {
    enableSandbox() {},
    on: (ev, fn) => appEvents.set(ev, fn),
    whenReady: () => Promise.resolve(),
    getPath: () => mkdtempSync(join(tmpdir(), 'pg-bundle-userdata-')),
    quit: () => {
      quit = true
    }
  },
  BrowserWindow,
  ipcMain: { handle: (ch, fn) => handlers.set(ch, fn) },
  Menu: { buildFromTemplate: (t) => t, setApplicationMenu() {} },
  dialog: { showErrorBox: (title, msg) => dialogs.push(`${title}: ${msg}`) },
  session: { defaultSession: { webRequest: { onHeadersReceived() {} } } },
  shell: { openExternal() {} }
}

const load = Module._load
Module._load = function (request, ...rest) {
  return request === 'electron' ? electron : load.call(this, request, ...rest)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function main() {
  require(mainJs)
  for (let i = 0; i < 100 && windows.length === 0; i++) await sleep(20)
  const win = windows[0]
  const ev = { sender: { id: 7 }, senderFrame: { url: pathToFileURL(win.loaded).href, parent: null } }
  const call = (ch, args) => handlers.get(`peregrine:${ch}`)(ev, args)
  const out = { channels: handlers.size, loaded: win.loaded, preload: win.opts.webPreferences.preload }
  out.status = await call('capture.status', {})
  out.open = await call('capture.open', { path: capture })
  for (let i = 0; i < 1200; i++) {
    const s = await call('capture.status', {})
    if (!s.ok || s.result.phase !== 'indexing') {
      out.ready = s
      break
    }
    await sleep(50)
  }
  out.overview = await call('overview', {})
  out.title = win.title ?? null
  appEvents.get('window-all-closed')()
  out.quit = quit
  out.dialogs = dialogs
  process.stdout.write(JSON.stringify(out) + '\n')
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n')
    process.exit(1)
  }
)
