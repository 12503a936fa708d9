/**
 * `peregrine` command line. Each subcommand lives in its own module (cmd-<name>.ts) exporting
 * `run(args): Promise<number>`, loaded on demand so that `peregrine events` does not pay for SQLite.
 * Exit codes: 0 ok, 1 damaged input (partial results were printed), 2 unusable input or usage.
 */
type Command = { summary: string; load: () => Promise<{ run: (args: string[]) => Promise<number> }> }

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'serve the UI for FILE on 127.0.0.1', load: () => import('./cmd-serve') },
  start: { summary: 'open the app (or serve the UI) on a capture', load: () => import('./cmd-start') },
  events: {
    summary: 'print events like `sysdig -r FILE [-p FORMAT] [FILTER]`',
    load: () => import('./cmd-events')
  },
  info: {
    summary: 'format, sections, machine, time range, counts and anomalies of a capture',
    load: () => import('./cmd-info')
  },
  index: { summary: 'build (or reuse) the SQLite index of a capture', load: () => import('./cmd-index') },
  scan: {
    summary: 'run Falco rules over a capture and print alerts like Falco',
    load: () => import('./cmd-scan')
  },
  rules: {
    summary: 'validate, list or expand rules files (validate|list|expand)',
    load: () => import('./cmd-rules')
  },
  query: {
    summary: 'answer a read model from the index: FILE|DB NAME [ARGS] --json',
    load: () => import('./cmd-query')
  },
  record: {
    summary: 'record syscalls to a .scap with the eBPF recorder (root)',
    load: () => import('./cmd-record')
  },
  report: {
    summary: 'write the incident report (HTML, Markdown, JSON, PDF) of a capture or index',
    load: () => import('./cmd-report')
  }
}

export function usage(): string {
  const lines = ['usage: peregrine <command> [args]', '', 'commands:']
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`)
  return lines.join('\n') + '\n'
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage())
    return name === undefined ? 2 : 0
  }
  const cmd = COMMANDS[name]
  if (cmd === undefined) {
    process.stderr.write(`peregrine: unknown command '${name}'\n` + usage())
    return 2
  }
  const mod = await cmd.load()
  return mod.run(rest)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    // an index that must be rebuilt is the user's situation, not our bug: say what to do, no stack
    if (err instanceof Error && err.name === 'StaleIndexError')
      process.stderr.write(`peregrine ${process.argv[2] ?? ''}: ${err.message}\n`)
    else
      process.stderr.write(
        `peregrine: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
      )
    process.exitCode = 2
  }
)
