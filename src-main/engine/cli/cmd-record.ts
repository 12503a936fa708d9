/**
 * `peregrine record -o OUT.scap [--duration S] [--max-events N] [--max-size MB] [--snaplen N] [--generic]
 *  [--container ID,NAME,IMAGE] (--all | -- CMD ARGS...)`: records with the native eBPF recorder.
 * Exit codes: 0 recorded, 2 usage, not root, or recording unavailable, 3 the file could not be written.
 */
import { flag, has, parseArgs, UsageError } from './args'
import { isRoot, locateRecorder } from '../record/recorder-binary'
import { runRecorder, type RecordOptions } from '../record/run-recorder'

const USAGE =
  'usage: peregrine record -o OUT.scap [--duration S] [--max-events N] [--max-size MB] [--snaplen N]\n' +
  '                        [--generic] [--container ID,NAME,IMAGE] (--all | -- CMD ARGS...)\n'

function positiveNumber(v: string | undefined, name: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} needs a positive ${integer ? 'integer' : 'number'}, got '${v}'`)
  }
  return n
}

export async function run(argv: string[]): Promise<number> {
  let opts: RecordOptions
  try {
    const p = parseArgs(argv, {
      output: { names: ['-o', '--output'], value: true },
      duration: { names: ['--duration'], value: true },
      maxEvents: { names: ['--max-events'], value: true },
      maxSize: { names: ['--max-size'], value: true },
      snaplen: { names: ['--snaplen'], value: true },
      all: { names: ['--all'] },
      generic: { names: ['--generic'] },
      container: { names: ['--container'], value: true, repeat: true },
      help: { names: ['-h', '--help'] }
    })
    if (has(p, 'help')) {
      process.stdout.write(USAGE)
      return 0
    }
    const output = flag(p, 'output')
    if (output === undefined) throw new UsageError('-o OUT.scap is required')
    if (p.positional.length > 0)
      throw new UsageError(`unexpected argument '${p.positional[0] ?? ''}' (put the command after --)`)
    const all = has(p, 'all')
    if (all && p.rest.length > 0) throw new UsageError('give either --all or -- CMD, not both')
    if (!all && p.rest.length === 0) throw new UsageError('give --all or a command after --')
    opts = {
      output,
      all,
      command: p.rest,
      durationS: positiveNumber(flag(p, 'duration'), '--duration', false),
      maxEvents: positiveNumber(flag(p, 'maxEvents'), '--max-events', true),
      maxSizeMb: positiveNumber(flag(p, 'maxSize'), '--max-size', false),
      snaplen: positiveNumber(flag(p, 'snaplen'), '--snaplen', true),
      generic: has(p, 'generic'),
      containers: p.flags.get('container') ?? []
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`peregrine record: ${e.message}\n${USAGE}`)
      return 2
    }
    throw e
  }
  const where = locateRecorder()
  if (!where.ok) {
    process.stderr.write(`peregrine record: ${where.why}\n`)
    return 2
  }
  if (!isRoot()) {
    process.stderr.write(
      'peregrine record: recording needs root (it loads eBPF programs); run it as root, e.g. `sudo npx peregrine record ...`\n'
    )
    return 2
  }
  const res = await runRecorder(where.path, opts, (line) => process.stderr.write(line))
  const s = res.summary
  if (s !== null) {
    process.stderr.write(
      `peregrine record: ${String(s.events)} events, ${String(s.bytes)} bytes written to ${s.file}` +
        (s.drops > 0 ? `, ${String(s.drops)} records DROPPED (marked in the file)` : ', no drops') +
        ` (stopped: ${s.stop})\n`
    )
  }
  return res.exitCode
}
