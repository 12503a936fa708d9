/**
 * `peregrine report FILE -o OUT.html|OUT.md|OUT.json|OUT.jsonl|OUT.pdf [-r RULES]... [--min-priority P]
 * [--title T] [--notes FILE] [--pdf] [--db PATH]`: writes the incident report of a capture (indexed on the
 * fly, or its existing index reused by content hash) or of an index. The format comes from the extension;
 * `--pdf` (or `-o X.pdf`) also prints the HTML report to PDF through headless Chromium when it is installed.
 */
import { createHash } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { flag, has, parseCommand } from './args'
import { buildIndex } from '../index/build'
import { isSqliteFile } from '../index/db'
import { ruleFilesOf } from '../index/rules-prepare'
import { runRules } from '../index/rules-run'
import { defaultRuleFiles } from '../rules/default-rules'
import { QueryDb } from '../query/query-db'
import { buildReport, formatOfPath, parsePriorityName, renderReport } from '../report/index'
import { runFacts } from '../report/index-facts'
import { htmlToPdf } from '../report/print-pdf'
import { savedReportOptions } from '../index/analyst-notes'

const USAGE =
  'usage: peregrine report FILE -o OUT.html|OUT.md|OUT.json|OUT.jsonl|OUT.pdf [-r RULES]... [--min-priority P]\n' +
  '                        [--title T] [--notes FILE] [--pdf] [--db PATH]\n' +
  '  FILE: a capture (indexed first, or its index reused by content hash) or an index database\n' +
  '  -r: rule files or directories (default: the rules the index ran, else rules/); other rules than the\n' +
  "      index's active run are run over the capture first\n" +
  '  --title, --notes: default to the title and notes saved for this capture in the app\n' +
  '  --pdf: also print the HTML report to OUT.pdf with headless Chromium (/usr/bin/chromium)\n'

function sha256Of(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex')
  } catch {
    return ''
  }
}

/** Whether the index's active rules run used exactly these files (paths and contents). */
function sameRules(dbPath: string, files: readonly string[]): boolean {
  const q = QueryDb.open(dbPath)
  try {
    const id = q.activeRun()
    const run = id === null ? null : runFacts(q, id)
    if (run === null) return false
    const want = ruleFilesOf(files).map((p) => resolve(p))
    return (
      run.files.length === want.length &&
      run.files.every((f, i) => f.path === want[i] && f.sha256 === sha256Of(f.path))
    )
  } finally {
    q.close()
  }
}

function writeAtomic(path: string, text: string | Buffer): void {
  const tmp = `${path}.tmp-${String(process.pid)}`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(
    'report',
    argv,
    {
      out: { names: ['-o', '--output'], value: true },
      rules: { names: ['-r', '--rules'], value: true, repeat: true },
      minPriority: { names: ['--min-priority'], value: true },
      title: { names: ['--title'], value: true },
      notes: { names: ['--notes'], value: true },
      pdf: { names: ['--pdf'] },
      db: { names: ['--db'], value: true }
    },
    USAGE
  )
  if (typeof p === 'number') return p
  const file = p.positional[0]
  const out = flag(p, 'out')
  if (file === undefined || p.positional.length > 1 || out === undefined) {
    process.stderr.write(USAGE)
    return 2
  }
  const wantsPdfOnly = out.toLowerCase().endsWith('.pdf')
  const format = wantsPdfOnly ? 'html' : formatOfPath(out)
  if (format === null) {
    process.stderr.write(
      `peregrine report: cannot tell the format of ${out} (use .html, .md, .json, .jsonl or .pdf)\n`
    )
    return 2
  }
  const mp = flag(p, 'minPriority')
  const minPriority = mp === undefined ? null : parsePriorityName(mp)
  if (mp !== undefined && minPriority === null) {
    process.stderr.write(`peregrine report: unknown priority '${mp}' (emergency … debug)\n`)
    return 2
  }
  let notes: string | null = null
  const notesPath = flag(p, 'notes')
  try {
    if (notesPath !== undefined) notes = readFileSync(notesPath, 'utf8')
  } catch (e) {
    process.stderr.write(
      `peregrine report: cannot read notes ${notesPath ?? ''}: ${e instanceof Error ? e.message : String(e)}\n`
    )
    return 2
  }

  const rules = p.flags.get('rules')
  let dbPath = file
  try {
    if (!isSqliteFile(file))
      dbPath = (
        await buildIndex({ capturePath: file, dbPath: flag(p, 'db'), rules: rules ?? defaultRuleFiles() })
      ).dbPath
    if (rules !== undefined && !sameRules(dbPath, rules)) {
      const r = await runRules(dbPath, rules)
      if (r.status !== 'complete') {
        process.stderr.write(
          `peregrine report: the rules did not run (${r.status}${r.error === null ? '' : `: ${r.error}`})\n`
        )
        return 2
      }
    }
  } catch (e) {
    process.stderr.write(`peregrine report: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }

  const t0 = Date.now()
  const q = QueryDb.open(dbPath)
  let report
  try {
    // the title and notes an analyst saved in the app, unless given here
    const saved = savedReportOptions(q.db)
    report = buildReport(q, {
      title: flag(p, 'title') ?? saved.title,
      minPriority,
      notes: notes ?? saved.notes
    })
  } finally {
    q.close()
  }
  const outPath = resolve(out)
  const pdfPath = wantsPdfOnly ? outPath : has(p, 'pdf') ? outPath.replace(/\.[^./]*$/, '') + '.pdf' : null
  const text = wantsPdfOnly ? null : renderReport(report, format)
  if (text !== null) {
    writeAtomic(outPath, text)
    process.stdout.write(`report written: ${outPath} (${String(Date.now() - t0)} ms)\n`)
  }
  if (pdfPath !== null) {
    try {
      writeAtomic(
        pdfPath,
        await htmlToPdf(format === 'html' && text !== null ? text : renderReport(report, 'html'))
      )
    } catch (e) {
      process.stderr.write(`peregrine report: ${e instanceof Error ? e.message : String(e)}\n`)
      return 2
    }
    process.stdout.write(`PDF written: ${pdfPath}\n`)
  }
  for (const w of report.dataQuality.warnings) process.stderr.write(`peregrine report: note: ${w}\n`)
  return report.dataQuality.complete ? 0 : 1
}
