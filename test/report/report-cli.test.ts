// `peregrine report`: a capture (indexed on the fly into a temporary index directory) or an index, the format
// from the extension, --title/--notes/--min-priority, -r running other rules over the index first, usage
// errors, and --pdf through headless Chromium (or a plain message when Chromium is not there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { run } from '../../src-main/engine/cli/cmd-report'
import { writeNotes } from '../../src-main/engine/index/analyst-notes'
import type { IncidentReport } from '../../src-main/engine/report/index'
import { captureOutput as capture } from '../fixtures/capture-output'

const ROOT = resolve(__dirname, '../..')
const SAMPLE = join(ROOT, 'samples/reverse-shell.scap')

let dir = ''
const saved = { index: process.env.PEREGRINE_INDEX_DIR, chromium: process.env.PEREGRINE_CHROMIUM }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-report-cli-'))
  process.env.PEREGRINE_INDEX_DIR = join(dir, 'indexes')
})

afterAll(() => {
  if (saved.index === undefined) delete process.env.PEREGRINE_INDEX_DIR
  else process.env.PEREGRINE_INDEX_DIR = saved.index
  if (saved.chromium === undefined) delete process.env.PEREGRINE_CHROMIUM
  else process.env.PEREGRINE_CHROMIUM = saved.chromium
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

function indexDb(): string {
  const d = join(dir, 'indexes')
  const f = readdirSync(d).find((x) => x.endsWith('.peregrine.db'))
  if (f === undefined) throw new Error('no index')
  return join(d, f)
}

describe('peregrine report', () => {
  it('indexes a capture and writes Markdown by extension', async () => {
    const out = join(dir, 'r.md')
    const r = await capture(() => run([SAMPLE, '-o', out]))
    expect(r.code).toBe(0)
    expect(r.out).toContain('report written')
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('# Incident report: reverse-shell.scap')
  })

  it('reads an index, with title, notes and a minimum priority', async () => {
    const notes = join(dir, 'notes.txt')
    writeFileSync(notes, 'Host isolated.\n')
    const out = join(dir, 'r.json')
    const r = await capture(() =>
      run([indexDb(), '-o', out, '--title', 'Case 42', '--notes', notes, '--min-priority', 'critical'])
    )
    expect(r.code).toBe(0)
    const rep = JSON.parse(readFileSync(out, 'utf8')) as IncidentReport
    expect(rep.title).toBe('Case 42')
    expect(rep.notes).toBe('Host isolated.\n')
    expect(rep.rules.minPriority).toBe('CRITICAL')
    expect(rep.summary.rulesFired.map((x) => x.rule)).toEqual(['Reverse shell'])
    expect(r.err).toContain('alerts below CRITICAL are left out')
  })

  it.each([
    ['the saved ones', [], 'Saved title', 'Saved in the app.'],
    [
      '--title/--notes over the saved ones',
      ['--title', 'Given', '--notes', 'NOTES'],
      'Given',
      'From a file.\n'
    ]
  ])('takes the title and notes saved in the app (%s)', async (_name, extra, title, notes) => {
    writeNotes(indexDb(), { title: 'Saved title', notes: 'Saved in the app.' })
    const file = join(dir, 'notes2.txt')
    writeFileSync(file, 'From a file.\n')
    const out = join(dir, 'r-saved.json')
    const args = extra.map((a) => (a === 'NOTES' ? file : a))
    const r = await capture(() => run([indexDb(), '-o', out, ...args]))
    expect(r.code).toBe(0)
    const rep = JSON.parse(readFileSync(out, 'utf8')) as IncidentReport
    expect([rep.title, rep.notes]).toEqual([title, notes])
    writeNotes(indexDb(), { title: '', notes: '' })
  })

  it('runs other rules (-r) over the index before reporting', async () => {
    const rules = join(dir, 'dup.yaml')
    writeFileSync(
      rules,
      [
        '- rule: Any dup',
        '  desc: every successful dup call',
        '  condition: evt.type = dup and evt.dir = < and evt.rawres >= 0',
        '  output: dup by %proc.name (res=%evt.rawres)',
        '  priority: ERROR',
        '  tags: [mitre_defense_evasion, T1070.004]',
        ''
      ].join('\n')
    )
    const out = join(dir, 'r2.json')
    const r = await capture(() => run([SAMPLE, '-o', out, '-r', rules]))
    expect(r.code).toBe(0)
    const rep = JSON.parse(readFileSync(out, 'utf8')) as IncidentReport
    expect(rep.rules.files.map((f) => f.path)).toEqual([rules])
    expect(rep.appendix.rules.map((x) => x.name)).toEqual(['Any dup'])
    const f = rep.findings[0]
    expect(f?.rule).toBe('Any dup')
    expect(f?.priority).toBe('ERROR')
    expect(f?.techniques[0]?.label).toBe('T1070.004 Indicator Removal: File Deletion')
    expect(f?.tactics[0]?.id).toBe('TA0005')
    expect(f?.description).toBe('every successful dup call')
  })

  const usage: [string, string[], string][] = [
    ['unknown extension', [SAMPLE, '-o', 'x.txt'], 'cannot tell the format'],
    ['bad priority', [SAMPLE, '-o', 'x.md', '--min-priority', 'severe'], "unknown priority 'severe'"],
    ['no output', [SAMPLE], 'usage: peregrine report'],
    ['missing capture', [join(ROOT, 'no-such.scap'), '-o', 'x.md'], 'ENOENT'],
    ['unreadable notes', [SAMPLE, '-o', 'x.md', '--notes', '/no/such/notes'], 'cannot read notes']
  ]
  for (const [name, args, msg] of usage)
    it(`exits 2 on ${name}`, async () => {
      const r = await capture(() => run(args))
      expect(r.code).toBe(2)
      expect(r.err).toContain(msg)
    })

  it('says plainly when Chromium is not there for --pdf', async () => {
    process.env.PEREGRINE_CHROMIUM = join(dir, 'no-chromium')
    try {
      const out = join(dir, 'np.html')
      const r = await capture(() => run([indexDb(), '-o', out, '--pdf']))
      expect(r.code).toBe(2)
      expect(existsSync(out)).toBe(true) // the HTML report is still written
      expect(r.err).toContain('headless Chromium is not installed')
      expect(existsSync(join(dir, 'np.pdf'))).toBe(false)
    } finally {
      delete process.env.PEREGRINE_CHROMIUM
    }
  })

  it.skipIf(!existsSync('/usr/bin/chromium'))(
    'prints the HTML report to PDF with headless Chromium',
    async () => {
      const out = join(dir, 'r.pdf')
      const r = await capture(() => run([indexDb(), '-o', out]))
      expect(r.code).toBe(0)
      expect(r.out).toContain('PDF written')
      const pdf = readFileSync(out)
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      expect(pdf.length).toBeGreaterThan(20_000)
    }
  )
})
