/**
 * `peregrine index FILE [--db PATH] [--force] [--json] [-r RULES]...`: builds (or reuses) the SQLite index
 * of a capture and prints what it indexed and the import statistics.
 */
import { flag, has, parseCommand } from './args'
import { buildIndex, BuildCancelled } from '../index/build'
import { indexSummary, formatIndexSummary } from '../query/index-summary'
import { isSqliteFile, openReadable } from '../index/db'
import { checkIndex, defaultIndexPath, sha256File } from '../index/locate'
import { runRules } from '../index/rules-run'
import { defaultRuleFiles } from '../rules/default-rules'

const USAGE =
  'usage: peregrine index FILE [--db PATH] [--force] [--json] [--quiet] [-r RULES]... [--no-rules]\n' +
  '       peregrine index FILE|DB --rules-only [-r RULES]...   (run other rules over an existing index)\n' +
  '  rules: the default rules in rules/ unless -r or --no-rules is given\n'

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(
    'index',
    argv,
    {
      db: { names: ['--db'], value: true },
      force: { names: ['--force'] },
      json: { names: ['--json'] },
      quiet: { names: ['-q', '--quiet'] },
      rules: { names: ['-r', '--rules'], value: true, repeat: true },
      noRules: { names: ['--no-rules'] },
      rulesOnly: { names: ['--rules-only'] }
    },
    USAGE
  )
  if (typeof p === 'number') return p
  const file = p.positional[0]
  if (file === undefined || p.positional.length > 1) {
    process.stderr.write(USAGE)
    return 2
  }
  const abort = new AbortController()
  const onSig = (): void => {
    abort.abort()
  }
  process.once('SIGINT', onSig)
  const tty = process.stderr.isTTY && !has(p, 'quiet')
  if (has(p, 'rulesOnly'))
    return rerunRules(file, flag(p, 'db'), p.flags.get('rules') ?? defaultRuleFiles(), abort.signal)
  try {
    const r = await buildIndex({
      capturePath: file,
      dbPath: flag(p, 'db'),
      force: has(p, 'force'),
      signal: abort.signal,
      rules: has(p, 'noRules') ? null : (p.flags.get('rules') ?? defaultRuleFiles()),
      onProgress: tty
        ? (x) => {
            const pct = x.bytesTotal > 0 ? Math.floor((100 * x.bytesRead) / x.bytesTotal) : 0
            const eta = x.etaSec === null ? '' : ` ${x.etaSec.toFixed(1)} s left`
            process.stderr.write(`\rindexing ${pct}%  ${x.events} events  ${x.eventsPerSec} ev/s${eta}   `)
          }
        : undefined
    })
    if (tty) process.stderr.write('\r\x1b[K')
    const db = openReadable(r.dbPath)
    try {
      const s = indexSummary(db, r.dbPath, r.reused, r.ms)
      process.stdout.write(has(p, 'json') ? JSON.stringify(s, null, 2) + '\n' : formatIndexSummary(s))
      return s.capture.complete ? 0 : 1
    } finally {
      db.close()
    }
  } catch (e) {
    if (e instanceof BuildCancelled) {
      process.stderr.write('\nperegrine index: cancelled; no index was written\n')
      return 2
    }
    const msg = e instanceof Error ? e.message : String(e)
    process.stderr.write(`peregrine index: ${msg}\n`)
    return 2
  } finally {
    process.removeListener('SIGINT', onSig)
  }
}

/** Runs a rule set over an existing index (found by content hash or given) without re-indexing. */
async function rerunRules(
  file: string,
  db: string | undefined,
  rules: string[],
  signal: AbortSignal
): Promise<number> {
  let dbPath = db ?? file
  if (!isSqliteFile(dbPath)) {
    const sha = await sha256File(file)
    dbPath = db ?? defaultIndexPath(sha)
    if (!checkIndex(dbPath, sha).usable) {
      process.stderr.write(
        `peregrine index: ${file} is not indexed yet; run \`peregrine index ${file}\` first\n`
      )
      return 2
    }
  }
  const r = await runRules(dbPath, rules, { signal })
  process.stdout.write(
    `rules run ${r.runId} ${r.status}: ${r.alerts} alerts over ${r.events} events${r.error === null ? '' : ` (${r.error})`}\n`
  )
  return r.status === 'complete' ? 0 : 1
}
