/**
 * `peregrine info FILE [--json]`: what a capture holds, read at decoder level (format, sections, machine, time
 * range, events by type, processes/threads/containers seen, drops, anomalies).
 * Exit codes: 0 read fully; 1 damaged (everything read is reported, then the error with its byte offset and
 * block); 2 unusable input (missing file, not a syscall capture, unsupported version) or usage.
 */
import { statSync } from 'node:fs'
import { nsDiff, nsSplit, nsToString } from '../../common/time'
import { StatsCollector, type CaptureStats } from '../capture/capture-stats'
import type { ReadSummary } from '../capture/capture-types'
import { readCapture } from '../capture/read-capture'
import type { ScapEvent } from '../capture/scap-event'
import { UsageError, has, parseArgs } from './args'

const USAGE = 'usage: peregrine info FILE [--json]\n'

export async function run(args: string[]): Promise<number> {
  let file: string
  let json: boolean
  try {
    const p = parseArgs(args, { json: { names: ['--json'] }, help: { names: ['-h', '--help'] } })
    if (has(p, 'help')) {
      process.stdout.write(USAGE)
      return 0
    }
    if (p.positional.length !== 1) throw new UsageError('expected exactly one FILE')
    file = p.positional[0] as string
    json = has(p, 'json')
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`peregrine info: ${e.message}\n${USAGE}`)
    return 2
  }
  try {
    if (!statSync(file).isFile()) {
      process.stderr.write(`peregrine info: ${file}: not a regular file\n`)
      return 2
    }
  } catch (e) {
    process.stderr.write(`peregrine info: ${file}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  const stats = new InfoCollector()
  const summary = await readCapture(file, stats)
  const result = stats.result()
  const code = exitCode(summary)
  if (json) {
    process.stdout.write(JSON.stringify(toJson(file, summary, result, stats.lost), null, 2) + '\n')
  } else if (code !== 2) process.stdout.write(toText(file, summary, result, stats.lost))
  const err = summary.error
  if (err !== undefined) {
    const where = `at byte offset ${err.offset}${err.block === undefined ? '' : ` (block ${err.block})`}`
    process.stderr.write(`peregrine info: ${file}: ${err.code}: ${err.message} ${where}\n`)
  }
  return code
}

const DROP_E = 148

/**
 * The capture stats plus the sum of the DROP_E events' `ratio` parameter: Peregrine's recorder writes there
 * how many records (syscalls) it lost in the gap; a kernel driver writes its sampling ratio instead.
 */
class InfoCollector extends StatsCollector {
  lost = 0

  override event(ev: ScapEvent): boolean {
    if (ev.type === DROP_E && ev.nparams > 0) this.lost += ev.int(0) ?? 0
    return super.event(ev)
  }
}

function exitCode(s: ReadSummary): number {
  if (s.error === undefined) return 0
  const c = s.error.code
  return c === 'not-a-capture' || c === 'io' || (c === 'unsupported' && s.sections === 0) ? 2 : 1
}

/** ISO-8601 UTC with all nine nanosecond digits. */
export function isoNs(t: { hi: number; lo: number }): string {
  const { sec, nsec } = nsSplit(t.hi, t.lo)
  const d = new Date(sec * 1000).toISOString().slice(0, 19)
  return `${d}.${String(nsec).padStart(9, '0')}Z`
}

function bytesText(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GiB`
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${n} B`
}

function toText(file: string, s: ReadSummary, r: CaptureStats, lost: number): string {
  const out: string[] = []
  const row = (k: string, v: string): void => {
    out.push(`${k.padEnd(12)}${v}`)
  }
  row(
    'file',
    `${file} (${bytesText(s.fileSize)}${s.compressed ? `, gzip, ${bytesText(s.bytes)} uncompressed` : ''})`
  )
  const versions = [...new Set(r.sections.map((x) => `${x.major}.${x.minor}`))].join(', ')
  row(
    'format',
    `scap ${versions === '' ? '?' : versions}, ${s.sections} section${s.sections === 1 ? '' : 's'}`
  )
  if (r.sections.length > 1) for (const x of r.sections) row('', `section ${x.index + 1} at byte ${x.offset}`)
  if (r.machines.length === 0) row('machine', 'no machine info block')
  for (const m of uniqueMachines(r)) {
    row(
      'machine',
      `host ${m.hostname || '(empty)'}, ${m.numCpus} cpus, memory ${bytesText(m.memorySizeBytes)}`
    )
  }
  if (r.firstTs !== null && r.lastTs !== null) {
    const secs = nsDiff(r.lastTs.hi, r.lastTs.lo, r.firstTs.hi, r.firstTs.lo) / 1e9
    row('time range', `${isoNs(r.firstTs)} .. ${isoNs(r.lastTs)} (${secs.toFixed(9)} s)`)
    if (r.tsBackwards > 0) row('', `${r.tsBackwards} events with a timestamp below the previous event's`)
  } else row('time range', 'no events with a timestamp')
  row('events', String(s.events))
  const width = Math.max(0, ...r.byType.map(([n]) => n.length))
  for (const [name, n] of r.byType) row('', `${name.padEnd(width)}  ${n}`)
  row(
    'processes',
    `${r.processes} (threads ${r.threads}; ${r.threadsFromProcList} in the initial process list)`
  )
  row('containers', r.containers.length === 0 ? 'none' : `${r.containers.length}: ${r.containers.join(', ')}`)
  row('tables', `${r.fds} initial fds, ${r.users} users, ${r.groups} groups, ${r.interfaces} interfaces`)
  const loss = Object.entries(s.anomalies).filter(([, a]) => a.severity === 'data-loss')
  const dropText =
    r.dropEnter + r.dropExit === 0
      ? 'no drop events'
      : `${r.dropEnter} drop enter (DROP_E), ${r.dropExit} drop exit (DROP_X): the driver dropped events`
  row('drops', dropText)
  if (r.dropEnter > 0) {
    row('', `${lost} lost: the sum of the DROP_E ratio parameters (records lost, in Peregrine recordings)`)
  }
  if (loss.length > 0) row('', `${loss.reduce((t, [, a]) => t + a.count, 0)} data-loss anomalies (below)`)
  const blocks = Object.entries(s.blocks)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  row('blocks', blocks)
  const anomalies = Object.entries(s.anomalies)
  if (anomalies.length === 0) row('anomalies', 'none')
  for (const [code, a] of anomalies) {
    const at = a.firstOffset === undefined ? '' : ` (first at byte ${a.firstOffset})`
    row('anomalies', `${a.severity} ${code} ×${a.count}: ${a.message}${at}`)
  }
  if (s.error !== undefined) {
    row('status', `DAMAGED: read stopped at byte ${s.error.offset}; everything above was read before it`)
  } else row('status', s.stopped ? 'stopped before the end' : 'read fully')
  return out.join('\n') + '\n'
}

function uniqueMachines(r: CaptureStats): CaptureStats['machines'] {
  const seen = new Set<string>()
  return r.machines.filter((m) => {
    const k = JSON.stringify(m)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function toJson(file: string, s: ReadSummary, r: CaptureStats, lost: number): unknown {
  const ts = (t: { hi: number; lo: number } | null): unknown =>
    t === null ? null : { ns: nsToString(t.hi, t.lo), utc: isoNs(t) }
  return {
    file,
    fileSize: s.fileSize,
    compressed: s.compressed,
    uncompressedBytes: s.bytes,
    formatVersion: s.formatVersion,
    sections: r.sections,
    machines: r.machines,
    timeRange: { first: ts(r.firstTs), last: ts(r.lastTs), backwards: r.tsBackwards },
    events: s.events,
    eventsByType: Object.fromEntries(r.byType),
    processes: r.processes,
    threads: r.threads,
    threadsFromProcList: r.threadsFromProcList,
    containers: r.containers,
    initialFds: r.fds,
    users: r.users,
    groups: r.groups,
    interfaces: r.interfaces,
    drops: { enter: r.dropEnter, exit: r.dropExit, lost },
    blocks: s.blocks,
    anomalies: s.anomalies,
    complete: s.complete,
    stopped: s.stopped,
    error: s.error ?? null
  }
}
