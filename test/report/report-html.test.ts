// The HTML report passes html-validate (recommended rules), loads nothing but itself, holds no script, and
// renders in headless Chromium (screenshot: test-results/report.png). Capture strings carrying HTML/script
// payloads and Markdown-breaking text come out escaped in HTML and Markdown: nothing runs, no element is
// injected, no table cell is split and no fence is closed early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { HtmlValidate } from 'html-validate'
import { buildIndex } from '../../src-main/engine/index/build'
import { defaultRuleFiles } from '../../src-main/engine/rules/default-rules'
import { buildReport, renderReport } from '../../src-main/engine/report/index'
import { CHROMIUM_FLAGS } from '../../src-main/engine/report/print-pdf'
import { BIDI, IMG, MD_BREAK, NEWLINE, SCRIPT, hostileCapture } from '../fixtures/hostile-capture'

const ROOT = resolve(__dirname, '../..')
const CHROMIUM = '/usr/bin/chromium'
const FIXED = new Date('2026-01-02T03:04:05.000Z')

let dir = ''
let sampleHtml = ''
let hostileHtml = ''
let hostileMd = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-report-html-'))
  const rules = defaultRuleFiles()
  const s = await buildIndex({
    capturePath: join(ROOT, 'samples/reverse-shell.scap'),
    dbPath: join(dir, 's.db'),
    rules
  })
  const sample = buildReport(s.dbPath, {
    generatedAt: FIXED,
    notes: 'Analyst: contained at 06:40 UTC.\nNext: rotate keys.'
  })
  sampleHtml = renderReport(sample, 'html')
  const cap = join(dir, 'hostile.scap')
  writeFileSync(cap, hostileCapture())
  const h = await buildIndex({ capturePath: cap, dbPath: join(dir, 'h.db'), rules })
  const hostile = buildReport(h.dbPath, {
    generatedAt: FIXED,
    title: `Title ${IMG}`,
    notes: `notes ${SCRIPT}\n\`\`\`\n${IMG}`
  })
  hostileHtml = renderReport(hostile, 'html')
  hostileMd = renderReport(hostile, 'md')
  // the hostile capture must actually put the payloads into the report, or the checks below prove nothing
  expect(hostile.summary.rulesFired.map((r) => r.rule)).toContain(
    'Read shadow password file by unexpected program'
  )
  expect(JSON.stringify(hostile)).toContain(JSON.stringify(IMG).slice(1, -1))
  expect(JSON.stringify(hostile)).toContain(JSON.stringify(SCRIPT).slice(1, -1))
  expect(JSON.stringify(hostile)).toContain(JSON.stringify(MD_BREAK).slice(1, -1))
}, 120_000)

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

/** Every way an HTML file could load something from elsewhere or run code (attributes are looked for in tags). */
function externalRefs(html: string): string[] {
  const bad: string[] = []
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const t = tag[0]
    for (const m of t.matchAll(/\s(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?\s*([^"'\s>]*)/gi))
      if (/^(?:https?:|\/\/|ftp:|file:)/i.test(m[1] ?? '')) bad.push(m[0].trim())
    if (/\son[a-z]+\s*=/i.test(t)) bad.push(`event handler in ${t.slice(0, 40)}`)
  }
  for (const m of html.matchAll(/url\(\s*["']?([^)"']*)/gi))
    if (!(m[1] ?? '').startsWith('data:')) bad.push(m[0])
  if (/<script/i.test(html)) bad.push('<script')
  if (/@import/i.test(html)) bad.push('@import')
  if (/<(?:iframe|object|embed|link|base)\b/i.test(html)) bad.push('embedding element')
  return bad
}

describe('HTML report', () => {
  it('passes html-validate (recommended rules)', async () => {
    const v = new HtmlValidate({ extends: ['html-validate:recommended'] })
    for (const html of [sampleHtml, hostileHtml]) {
      const r = await v.validateString(html)
      const msgs = r.results.flatMap((x) =>
        x.messages.map((m) => `${m.ruleId} line ${String(m.line)}: ${m.message}`)
      )
      expect(msgs).toEqual([])
      expect(r.valid).toBe(true)
    }
  })

  it('loads nothing external and holds no script', () => {
    expect(externalRefs(sampleHtml)).toEqual([])
    expect(externalRefs(hostileHtml)).toEqual([])
    // the checker itself catches each kind
    expect(
      externalRefs(
        '<img src="https://x/y.png"><a href=//x>a</a><style>@import "a.css"; b{background:url(http://x)}</style><script></script><p onclick="x">'
      ).length
    ).toBe(6)
    expect(sampleHtml).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
  })

  it('escapes capture strings carrying HTML and script', () => {
    expect(hostileHtml).not.toContain(IMG)
    expect(hostileHtml).not.toContain('</script>')
    expect(hostileHtml).not.toContain('<img')
    expect(hostileHtml).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;')
    expect(hostileHtml).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;')
    // the bidi override is shown as an escape, not applied
    expect(hostileHtml).not.toContain(BIDI)
    expect(hostileHtml).toContain('evil\\u202etxt.exe')
  })

  it.skipIf(!existsSync(CHROMIUM))(
    'renders in headless Chromium without requests, dialogs or injected elements',
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
      try {
        const out = resolve(ROOT, 'test-results')
        mkdirSync(out, { recursive: true })
        for (const [name, html] of [
          ['report', sampleHtml],
          ['report-hostile', hostileHtml]
        ] as const) {
          const file = join(dir, `${name}.html`)
          writeFileSync(file, html)
          const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
          const requests: string[] = []
          const dialogs: string[] = []
          const errors: string[] = []
          page.on('request', (r) => requests.push(r.url()))
          page.on('dialog', (d) => {
            dialogs.push(d.message())
            void d.dismiss()
          })
          page.on('pageerror', (e) => errors.push(e.message))
          await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
          expect(requests).toEqual([pathToFileURL(file).href])
          expect(dialogs).toEqual([])
          expect(errors).toEqual([])
          const dom = await page.evaluate(() => ({
            scripts: document.querySelectorAll('script').length,
            imgs: document.querySelectorAll('img').length,
            svgs: document.querySelectorAll('svg').length,
            h1: document.querySelector('h1')?.textContent ?? '',
            text: document.body.innerText
          }))
          expect(dom.scripts).toBe(0)
          expect(dom.imgs).toBe(0)
          expect(dom.svgs).toBeGreaterThanOrEqual(2) // the timeline and at least one lineage tree
          if (name === 'report') {
            expect(dom.h1).toBe('Incident report: reverse-shell.scap')
            expect(dom.text).toContain('T1059 Command and Scripting Interpreter')
            expect(dom.text).toContain('198.51.100.2')
            await page.screenshot({ path: join(out, 'report.png'), fullPage: true })
          } else {
            expect(dom.h1).toBe(`Title ${IMG}`)
            expect(dom.text).toContain(SCRIPT)
          }
          await page.close()
        }
      } finally {
        await browser.close()
      }
    }
  )
})

/** Splits a GFM table row into cells at unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
}

describe('Markdown report', () => {
  it('escapes HTML outside fences and never lets capture text close a fence or split a cell', () => {
    const lines = hostileMd.split('\n')
    let fence: string | null = null
    const outside: string[] = []
    let opened = 0
    let closed = 0
    let header: number | null = null
    for (const line of lines) {
      if (fence === null) {
        const m = /^(`{3,})/.exec(line)
        if (m !== null) {
          fence = m[1] ?? '```'
          opened++
          continue
        }
        outside.push(line)
        if (line.startsWith('|')) {
          const n = cells(line).length
          if (header === null) header = n
          else expect(n, line).toBe(header)
        } else header = null
      } else if (line.startsWith(fence) && line.slice(fence.length).trim() === '') {
        fence = null
        closed++
      }
    }
    expect(fence).toBeNull()
    expect(opened).toBe(closed)
    expect(opened).toBeGreaterThan(3)
    const text = outside.join('\n')
    expect(text).not.toMatch(/<img|<script|<\/script/i)
    expect(text).toContain('&lt;img src=x onerror="window.\\_\\_pwned=1"&gt;')
    // a newline inside a capture string never starts a Markdown line of its own
    expect(outside.some((l) => l.startsWith('## injected'))).toBe(false)
    expect(lines.some((l) => l.startsWith('## injected'))).toBe(false)
    expect(hostileMd).toContain(JSON.stringify(NEWLINE).slice(1, -1).replace('\\n', '\\\\n'))
    // pipes and backticks in table cells are escaped
    expect(text).toContain('a\\|b \\`tick\\` \\`\\`\\`fence')
  })
})
