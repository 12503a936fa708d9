/**
 * `peregrine scan FILE [-r RULES]... [--json] [--min-priority P] [--rule-matching first|all] [--tag T]...
 *  [--disable RULE]... [--enable RULE]... [--iso8601] [--stats]`
 * Runs Falco rules over a capture and prints one alert per line, as Falco does (text `<time>: <Priority> <output>`,
 * or Falco's JSON with --json). Without -r, Peregrine's default rules (rules/) are used. -r may name files or
 * directories and may be repeated; files load in order. --stats prints per-rule alert counts to stderr.
 * Exit codes: 0 the capture was read fully; 1 the capture is damaged (alerts up to the damage were printed);
 * 2 unusable input, invalid rules or usage.
 */
import { statSync } from 'node:fs'
import { defaultRuleFiles } from '../rules/default-rules'
import { formatValidation } from '../rules/loader/diagnostics'
import { parsePriority, priorityName } from '../rules/loader/items'
import { loadRuleFiles } from '../rules/load-files'
import { buildRuleset } from '../rules/ruleset'
import type { RulesetOptions } from '../rules/ruleset'
import { scanCapture } from '../rules/scan'
import { fieldRegistry } from '../rules/syscall-fields'
import { UsageError, flag, has, parseArgs } from './args'

const USAGE = `usage: peregrine scan FILE [-r RULES]... [--json] [--min-priority P] [--rule-matching first|all]
                      [--tag T]... [--disable-tag T]... [--disable RULE]... [--enable RULE]... [--iso8601] [--stats]
`

class LineWriter {
  private buf: string[] = []
  private size = 0
  write(line: string): void {
    this.buf.push(line)
    this.size += line.length + 1
    if (this.size > 1 << 16) this.flush()
  }
  flush(): void {
    if (this.buf.length === 0) return
    process.stdout.write(this.buf.join('\n') + '\n')
    this.buf = []
    this.size = 0
  }
}

export async function run(args: string[]): Promise<number> {
  let p
  try {
    p = parseArgs(args, {
      rules: { names: ['-r', '--rules'], value: true, repeat: true },
      json: { names: ['--json'] },
      minPriority: { names: ['--min-priority'], value: true },
      matching: { names: ['--rule-matching'], value: true },
      tag: { names: ['--tag', '-t'], value: true, repeat: true },
      notag: { names: ['--disable-tag', '-T'], value: true, repeat: true },
      disable: { names: ['--disable', '-D'], value: true, repeat: true },
      enable: { names: ['--enable'], value: true, repeat: true },
      iso: { names: ['--iso8601'] },
      stats: { names: ['--stats'] },
      help: { names: ['-h', '--help'] }
    })
    if (has(p, 'help')) {
      process.stdout.write(USAGE)
      return 0
    }
    if (p.positional.length !== 1) throw new UsageError('expected exactly one FILE')
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`peregrine scan: ${e.message}\n${USAGE}`)
    return 2
  }
  const file = p.positional[0] as string
  const opts: RulesetOptions = {}
  const mp = flag(p, 'minPriority')
  if (mp !== undefined) {
    const v = parsePriority(mp)
    if (v === undefined) {
      process.stderr.write(`peregrine scan: invalid priority '${mp}'\n`)
      return 2
    }
    opts.minPriority = v
  }
  const matching = flag(p, 'matching')
  if (matching !== undefined) {
    if (matching !== 'first' && matching !== 'all') {
      process.stderr.write(`peregrine scan: --rule-matching must be 'first' or 'all'\n`)
      return 2
    }
    opts.matching = matching
  }
  const tags = p.flags.get('tag')
  if (tags !== undefined) opts.tags = tags
  const notags = p.flags.get('notag')
  if (notags !== undefined) opts.disableTags = notags
  const disable = p.flags.get('disable')
  if (disable !== undefined) opts.disable = disable
  const enable = p.flags.get('enable')
  if (enable !== undefined) opts.enable = enable

  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file')
  } catch (e) {
    process.stderr.write(`peregrine scan: ${file}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  const registry = fieldRegistry()
  if (registry === undefined) {
    process.stderr.write('peregrine scan: no field registry available\n')
    return 2
  }
  const ruleFiles = p.flags.get('rules') ?? defaultRuleFiles()
  const loaded = loadRuleFiles(ruleFiles, registry)
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning')
  if (!loaded.ok) {
    process.stderr.write(
      formatValidation(
        loaded.files,
        loaded.diagnostics.filter((d) => d.severity === 'error')
      )
    )
    return 2
  }
  if (warnings.length > 0)
    process.stderr.write(
      `peregrine scan: rules loaded with ${String(warnings.length)} warnings (see peregrine rules validate)\n`
    )
  const ruleset = buildRuleset(loaded, registry, opts)
  // `peregrine scan … | head`: a closed pipe ends the scan quietly, as other Unix filters do
  if (process.stdout.listenerCount('error') === 0)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e
      process.exit(0)
    })
  const out = new LineWriter()
  const json = has(p, 'json')
  const lineOpts = has(p, 'iso') ? { iso8601: true } : {}
  const res = await scanCapture(
    file,
    ruleset,
    (a) => {
      out.write(json ? a.json : a.text)
    },
    lineOpts
  )
  out.flush()
  if (has(p, 'stats')) {
    const lines = [
      `${String(res.events)} events, ${String(res.alerts)} alerts, ${String(ruleset.rules.length)} rules`
    ]
    for (const r of ruleset.rules) {
      const n = res.byRule.get(r.name)
      if (n !== undefined) lines.push(`  ${r.name} (${priorityName(r.priority)}): ${String(n)}`)
    }
    process.stderr.write(lines.join('\n') + '\n')
  }
  const err = res.summary.error
  if (err !== undefined) {
    process.stderr.write(
      `peregrine scan: ${file}: ${err.message} (offset ${String(err.offset)}${err.block !== undefined ? `, block ${err.block}` : ''})\n`
    )
    return err.code === 'not-a-capture' || err.code === 'unsupported' || err.code === 'io' ? 2 : 1
  }
  return 0
}
