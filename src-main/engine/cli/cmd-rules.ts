/**
 * `peregrine rules validate FILE...`  check rules files like `falco -V` (exit 0 valid, 1 invalid, 2 usage)
 * `peregrine rules list FILE... [--json]`  every rule: name, priority, enabled, tags, event types
 * `peregrine rules expand FILE... --rule NAME`  the rule's fully expanded condition as one filter string
 * With no FILE, the default rules in `rules/` are used.
 */
import { printCondition } from '../filter/print'
import { defaultRuleFiles } from '../rules/default-rules'
import { codeSetNames } from '../rules/evttypes'
import { formatValidation } from '../rules/loader/diagnostics'
import { priorityName } from '../rules/loader/items'
import { ENGINE_VERSION } from '../rules/loader/versions'
import { loadRuleFiles } from '../rules/load-files'
import type { FilesLoad } from '../rules/load-files'
import { UsageError, flag, has, parseArgs } from './args'
import { fieldRegistry } from '../rules/syscall-fields'

const USAGE = `usage: peregrine rules validate FILE...
       peregrine rules list [FILE...] [--json]
       peregrine rules expand [FILE...] --rule NAME
`

function load(files: string[]): FilesLoad {
  return loadRuleFiles(files.length > 0 ? files : defaultRuleFiles(), fieldRegistry())
}

function printErrors(r: FilesLoad): void {
  const errors = r.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) process.stderr.write(formatValidation(r.files, errors))
}

export function run(args: string[]): Promise<number> {
  return Promise.resolve(runSync(args))
}

function runSync(args: string[]): number {
  // `peregrine rules list | head`: a closed pipe ends the command quietly
  if (process.stdout.listenerCount('error') === 0)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e
      process.exit(0)
    })
  const [sub, ...rest] = args
  let p
  try {
    p = parseArgs(rest, {
      json: { names: ['--json'] },
      rule: { names: ['--rule'], value: true },
      help: { names: ['-h', '--help'] }
    })
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`peregrine rules: ${e.message}\n${USAGE}`)
    return 2
  }
  if (sub === undefined || sub === '-h' || sub === '--help' || has(p, 'help')) {
    process.stdout.write(USAGE)
    return sub === undefined ? 2 : 0
  }
  switch (sub) {
    case 'validate': {
      if (p.positional.length === 0) {
        process.stderr.write(`peregrine rules validate: expected FILE...\n${USAGE}`)
        return 2
      }
      const r = load(p.positional)
      process.stdout.write('Validating rules file(s):\n' + r.files.map((f) => `   ${f}\n`).join(''))
      process.stdout.write(formatValidation(r.files, r.diagnostics))
      for (const v of r.collected.requiredEngineVersions)
        process.stdout.write(`${v.file}: requires engine version ${v.version} (ours: ${ENGINE_VERSION})\n`)
      for (const p of r.collected.requiredPluginVersions)
        for (const q of p.requirements)
          process.stdout.write(
            `${p.file}: requires plugin ${q.name} >= ${q.version}${q.alternatives.length > 0 ? ` (or ${q.alternatives.map((a) => `${a.name} >= ${a.version}`).join(', ')})` : ''}: its fields are built into Peregrine\n`
          )
      return r.ok ? 0 : 1
    }
    case 'list': {
      const r = load(p.positional)
      if (!r.ok) {
        printErrors(r)
        return 1
      }
      const rows = r.rules.map((x) => ({
        rule: x.def.name,
        priority: priorityName(x.def.priority),
        enabled: x.def.enabled,
        source: x.def.source,
        tags: x.def.tags,
        evt_types: codeSetNames(x.codes),
        desc: x.def.desc.trim()
      }))
      if (has(p, 'json')) {
        process.stdout.write(JSON.stringify(rows, null, 1) + '\n')
        return 0
      }
      for (const row of rows)
        process.stdout.write(
          `${row.rule}\t${row.priority}\t${row.enabled ? 'enabled' : 'disabled'}\t${row.tags.join(',')}\t${row.evt_types.join(',')}\n`
        )
      return 0
    }
    case 'expand': {
      const name = flag(p, 'rule')
      if (name === undefined) {
        process.stderr.write(`peregrine rules expand: --rule NAME is required\n${USAGE}`)
        return 2
      }
      const r = load(p.positional)
      if (!r.ok) {
        printErrors(r)
        return 1
      }
      const rule = r.rules.find((x) => x.def.name === name)
      if (rule === undefined) {
        process.stderr.write(`peregrine rules expand: no rule named '${name}'\n`)
        return 1
      }
      process.stdout.write(printCondition(rule.ast) + '\n')
      return 0
    }
    default:
      process.stderr.write(`peregrine rules: unknown subcommand '${sub}'\n${USAGE}`)
      return 2
  }
}
