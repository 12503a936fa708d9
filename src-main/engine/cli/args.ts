/** A small argv parser: declared flags (boolean or with a value, repeatable), the rest positional. */
export interface FlagSpec {
  /** Names, e.g. ['-p', '--format']. */
  names: readonly string[]
  /** Takes a value (next argv item, or after '='). */
  value?: boolean
  /** Collects every occurrence. */
  repeat?: boolean
}

export interface ParsedArgs {
  flags: Map<string, string[]>
  positional: string[]
  /** Everything after a bare `--`. */
  rest: string[]
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const byName = new Map<string, [string, FlagSpec]>()
  for (const [key, s] of Object.entries(specs)) for (const n of s.names) byName.set(n, [key, s])
  const flags = new Map<string, string[]>()
  const positional: string[] = []
  let rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--') {
      rest = argv.slice(i + 1)
      break
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1
    const name = eq > 0 ? a.slice(0, eq) : a
    const hit = a.startsWith('-') && a.length > 1 ? byName.get(name) : undefined
    if (hit === undefined) {
      if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) throw new UsageError(`unknown option ${a}`)
      positional.push(a)
      continue
    }
    const [key, spec] = hit
    let v = 'true'
    if (spec.value === true) {
      if (eq > 0) v = a.slice(eq + 1)
      else {
        const next = argv[i + 1]
        if (next === undefined) throw new UsageError(`${name} needs a value`)
        v = next
        i++
      }
    }
    const list = flags.get(key) ?? []
    if (spec.repeat !== true && list.length > 0) throw new UsageError(`${name} given twice`)
    list.push(v)
    flags.set(key, list)
  }
  return { flags, positional, rest }
}

export function flag(p: ParsedArgs, key: string): string | undefined {
  return p.flags.get(key)?.[0]
}

export function has(p: ParsedArgs, key: string): boolean {
  return p.flags.has(key)
}

/**
 * A subcommand's arguments with `-h/--help` added: on a usage error prints the reason and the usage and
 * returns 2, on --help prints the usage and returns 0; else the parsed arguments.
 */
export function parseCommand(
  command: string,
  argv: readonly string[],
  specs: Record<string, FlagSpec>,
  usage: string
): ParsedArgs | number {
  let p: ParsedArgs
  try {
    p = parseArgs(argv, { ...specs, help: { names: ['-h', '--help'] } })
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`peregrine ${command}: ${e.message}\n${usage}`)
      return 2
    }
    throw e
  }
  if (has(p, 'help')) {
    process.stdout.write(usage)
    return 0
  }
  return p
}
