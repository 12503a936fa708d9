/**
 * Export Report… as PDF in the desktop app: the engine renders the HTML report (self-contained, no
 * script), and Electron prints it with `webContents.printToPDF` in a hidden window that has JavaScript
 * off, no preload and the same sandbox as the main window. The report is loaded from a temporary file so
 * its own CSP (`default-src 'none'`) applies and nothing is fetched.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type MakeWindow = (opts: BrowserWindowConstructorOptions) => BrowserWindow

export const PRINT_WINDOW: BrowserWindowConstructorOptions = {
  show: false,
  width: 1000,
  height: 1400,
  webPreferences: {
    javascript: false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
    images: true,
    spellcheck: false
  }
}

/** Prints `html` to PDF bytes; the hidden window and temporary file are gone afterwards. */
export async function printReportPdf(html: string, makeWindow: MakeWindow): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-pdf-'))
  const file = join(dir, 'report.html')
  writeFileSync(file, html)
  const win = makeWindow(PRINT_WINDOW)
  try {
    await win.loadFile(file)
    return await win.webContents.printToPDF({
      printBackground: true,
      pageSize: 'A4',
      margins: { marginType: 'default' },
      displayHeaderFooter: false
    })
  } finally {
    win.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}
