/**
 * Prints an HTML report to PDF with headless Chromium (Debian's `chromium`), for `peregrine report --pdf`
 * and the served UI's PDF export. The report holds no script and loads nothing, so printing it is safe.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The Chromium used for PDF ($PEREGRINE_CHROMIUM, else Debian's /usr/bin/chromium). */
export function chromiumPath(): string {
  const env = process.env.PEREGRINE_CHROMIUM
  return env !== undefined && env !== '' ? env : '/usr/bin/chromium'
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update'
]

/** Prints an HTML file to PDF with headless Chromium; resolves to an error text or null. */
function printPdf(htmlPath: string, pdfPath: string, timeoutMs = 120_000): Promise<string | null> {
  const chromium = chromiumPath()
  if (!existsSync(chromium))
    return Promise.resolve(
      `headless Chromium is not installed (${chromium} not found): no PDF was written. Install chromium, or open the HTML report in a browser and print it to PDF.`
    )
  const profile = mkdtempSync(join(tmpdir(), 'pg-report-chromium-'))
  return new Promise((done) => {
    const args = [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdfPath}`,
      pathToFileURL(htmlPath).href
    ]
    const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString('utf8')
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const finish = (msg: string | null): void => {
      clearTimeout(timer)
      rmSync(profile, { recursive: true, force: true })
      done(msg)
    }
    child.on('error', (e) => {
      finish(`could not run ${chromium}: ${e.message}`)
    })
    child.on('close', (code) => {
      if (code === 0 && existsSync(pdfPath)) finish(null)
      else finish(`${chromium} failed (exit ${String(code)}): ${err.trim().split('\n').slice(-3).join(' ')}`)
    })
  })
}

/** Renders `html` to PDF bytes in a temporary folder; throws with the reason when it cannot. */
export async function htmlToPdf(html: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-report-pdf-'))
  try {
    const htmlPath = join(dir, 'report.html')
    const pdfPath = join(dir, 'report.pdf')
    writeFileSync(htmlPath, html)
    const err = await printPdf(htmlPath, pdfPath)
    if (err !== null) throw new Error(err)
    return readFileSync(pdfPath)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
