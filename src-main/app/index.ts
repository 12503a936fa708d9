/**
 * Electron main: a thin host. It owns one window and the engine child process (engine-process.ts: the same
 * CaptureSession `peregrine serve` holds, run by a plain `node` because better-sqlite3 is built for Node's
 * ABI), answers the contract over IPC by forwarding to it, and adds what only a desktop app has: menus,
 * file dialogs, recent files, drag and drop (via preload), PDF printing, recording when root.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EngineApi, ReportFile } from '../common/ipc-contract'
import { isRoot, locateRecorder } from '../engine/record/recorder-binary'
import { runRecorder } from '../engine/record/run-recorder'
import { registerIpc, senderIsRenderer } from './ipc-handlers'
import { menuTemplate } from './menu'
import { addRecent, readRecent } from './recent-files'
import { EngineProcess, engineChildScript, findNode } from './engine-process'
import { printReportPdf } from './report-pdf'
import { CSP, harden, webPreferences } from './security'

const CAPTURE_RE = /\.scap(\.gz)?$/i
const rendererFile = join(__dirname, '../renderer/index.html')
const rendererUrl = pathToFileURL(rendererFile).href
const engine = new EngineProcess({
  node: findNode(),
  script: engineChildScript(),
  onStderr: (t) => process.stderr.write(t)
})
let win: BrowserWindow | null = null

function recentFile(): string {
  return join(app.getPath('userData'), 'recent.json')
}

function showError(title: string, e: unknown): void {
  dialog.showErrorBox(title, e instanceof Error ? e.message : String(e))
}

/** A capture the engine accepted joins Open Recent and names the window. */
function opened(path: string): void {
  addRecent(recentFile(), path)
  win?.setTitle(`Peregrine — ${basename(path)}`)
  buildMenu()
}

function openCapture(path: string): void {
  engine.api['capture.open']({ path }).then(
    () => {
      opened(path)
    },
    (e: unknown) => {
      showError('Capture not opened', e)
    }
  )
}

async function chooseCapture(): Promise<void> {
  if (win === null) return
  const r = await dialog.showOpenDialog(win, {
    title: 'Open a capture',
    properties: ['openFile'],
    filters: [{ name: 'Captures', extensions: ['scap', 'gz'] }]
  })
  const p = r.filePaths[0]
  if (!r.canceled && p !== undefined && CAPTURE_RE.test(p)) openCapture(p)
}

async function chooseRules(): Promise<void> {
  if (win === null) return
  const r = await dialog.showOpenDialog(win, {
    title: 'Load a Falco rules file',
    properties: ['openFile'],
    filters: [{ name: 'Rules', extensions: ['yaml', 'yml'] }]
  })
  const p = r.filePaths[0]
  if (r.canceled || p === undefined) return
  try {
    await engine.api['rules.loadText']({ name: basename(p), text: readFileSync(p, 'utf8') })
  } catch (e) {
    showError('Rules not loaded', e)
  }
}

/** The PDF report: the engine's HTML printed by Electron (the served UI prints with headless Chromium). */
async function reportPdf(): Promise<{ filename: string; pdf: Buffer }> {
  const html = await engine.api['report.export']({ format: 'html' })
  const pdf = await printReportPdf(html.text, (o) => new BrowserWindow(o))
  return { filename: html.filename.replace(/\.html$/, '.pdf'), pdf }
}

/** The same for the renderer, which receives files over the contract (PDF as base64). */
async function reportPdfFile(): Promise<ReportFile> {
  const { filename, pdf } = await reportPdf()
  return { filename, mime: 'application/pdf', encoding: 'base64', text: pdf.toString('base64') }
}

async function exportReport(): Promise<void> {
  const phase = await engine.api['capture.status']({}).then(
    (s) => s.phase,
    () => 'failed'
  )
  if (win === null || phase !== 'ready') {
    dialog.showErrorBox('No report', 'Open a capture and wait until it is indexed.')
    return
  }
  const r = await dialog.showSaveDialog(win, {
    title: 'Export the incident report',
    defaultPath: 'peregrine-report.html',
    filters: [
      { name: 'HTML', extensions: ['html'] },
      { name: 'Markdown', extensions: ['md'] },
      { name: 'JSON', extensions: ['json'] },
      { name: 'PDF', extensions: ['pdf'] }
    ]
  })
  if (r.canceled || r.filePath === undefined) return
  const ext = extname(r.filePath).slice(1).toLowerCase()
  try {
    if (ext === 'pdf') {
      writeFileSync(r.filePath, (await reportPdf()).pdf)
      return
    }
    const f = await engine.api['report.export']({ format: ext === 'md' || ext === 'json' ? ext : 'html' })
    writeFileSync(r.filePath, f.text)
  } catch (e) {
    showError('Report not written', e)
  }
}

/** Root only: records the whole host for 30 s into a temporary capture, then opens it. */
async function record(): Promise<void> {
  const where = locateRecorder()
  if (!where.ok) {
    dialog.showErrorBox('Recorder unavailable', where.why)
    return
  }
  const out = join(tmpdir(), `peregrine-${Date.now()}.scap`)
  const r = await runRecorder(
    where.path,
    { output: out, all: true, command: [], durationS: 30 },
    () => undefined
  )
  if (r.exitCode === 0) openCapture(out)
  else dialog.showErrorBox('Recording failed', `the recorder exited with ${r.exitCode}`)
}

function buildMenu(): void {
  const t = menuTemplate({
    open: () => void chooseCapture(),
    openRecent: openCapture,
    loadRules: () => void chooseRules(),
    exportReport: () => void exportReport(),
    record: isRoot() ? () => void record() : null,
    recent: readRecent(recentFile())
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(t))
}

/** The engine API as the renderer sees it: a capture it opens (drag and drop) also joins Open Recent. */
const ipcApi: EngineApi = {
  ...engine.api,
  'capture.open': async (a) => {
    const r = await engine.api['capture.open'](a)
    opened(a.path)
    return r
  },
  // PDF is printed here, by Electron, rather than by a Chromium the engine would have to find
  'report.export': (a) => (a.format === 'pdf' ? reportPdfFile() : engine.api['report.export'](a))
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Peregrine',
    show: false,
    webPreferences: webPreferences(join(__dirname, '../preload/index.js'))
  })
  win.once('ready-to-show', () => win?.show())
  win.on('closed', () => {
    win = null
  })
  void win.loadFile(rendererFile)
}

app.enableSandbox()
app.on('web-contents-created', (_e, contents) => {
  harden(contents, (url) => void shell.openExternal(url))
})
void app.whenReady().then(() => {
  // the CSP travels as a header as well as the meta tag, for every response the session sees
  session.defaultSession.webRequest.onHeadersReceived((details, done) => {
    done({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CSP],
        'X-Content-Type-Options': ['nosniff']
      }
    })
  })
  registerIpc(
    ipcMain,
    ipcApi,
    senderIsRenderer(rendererUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents.id))
  )
  buildMenu()
  createWindow()
  const arg = process.argv.slice(1).find((a) => CAPTURE_RE.test(a))
  if (arg !== undefined) openCapture(arg)
})
app.on('window-all-closed', () => {
  engine.close()
  app.quit()
})
