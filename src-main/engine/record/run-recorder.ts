/**
 * Runs the native recorder as a child process. SIGINT/SIGTERM received by this process are forwarded so
 * the recorder detaches, drains its ring buffer and closes a valid file; its summary line (JSON on the
 * last line of stderr) is parsed into RecordSummary.
 */
import { spawn } from 'node:child_process'

export interface RecordOptions {
  output: string
  all: boolean
  command: string[]
  durationS?: number
  maxEvents?: number
  maxSizeMb?: number
  snaplen?: number
  generic?: boolean
  /** "ID,NAME,IMAGE" metadata for simulated containers */
  containers?: string[]
}

export interface RecordSummary {
  file: string
  events: number
  bytes: number
  records: number
  drops: number
  stop: string
  commandStatus: number
}

export interface RecordResult {
  exitCode: number
  summary: RecordSummary | null
}

export function recorderArgs(o: RecordOptions): string[] {
  const a = ['-o', o.output]
  if (o.durationS !== undefined) a.push('--duration', String(o.durationS))
  if (o.maxEvents !== undefined) a.push('--max-events', String(o.maxEvents))
  if (o.maxSizeMb !== undefined) a.push('--max-size', String(o.maxSizeMb))
  if (o.snaplen !== undefined) a.push('--snaplen', String(o.snaplen))
  if (o.generic === true) a.push('--generic')
  for (const c of o.containers ?? []) a.push('--container', c)
  if (o.all) a.push('--all')
  else a.push('--', ...o.command)
  return a
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

/** The recorder's last stderr line is a JSON object with its counters. */
export function parseSummary(stderr: string): RecordSummary | null {
  const lines = stderr.trimEnd().split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? '').trim()
    if (!line.startsWith('{')) continue
    try {
      const j: unknown = JSON.parse(line)
      if (typeof j !== 'object' || j === null) return null
      const r = j as Record<string, unknown>
      return {
        file: typeof r.file === 'string' ? r.file : '',
        events: num(r.events),
        bytes: num(r.bytes),
        records: num(r.records),
        drops: num(r.drops),
        stop: typeof r.stop === 'string' ? r.stop : '',
        commandStatus: num(r.command_status)
      }
    } catch {
      return null
    }
  }
  return null
}

/**
 * Spawns `binary` with the options; the recorded command inherits stdin/stdout. Recorder diagnostics
 * are passed through to `onStderr` (except the summary line, which is parsed).
 */
export function runRecorder(
  binary: string,
  o: RecordOptions,
  onStderr: (text: string) => void
): Promise<RecordResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, recorderArgs(o), { stdio: ['inherit', 'inherit', 'pipe'] })
    let err = ''
    let summaryText = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      err += chunk
      // pass every complete non-summary line through as it comes
      let nl = err.indexOf('\n')
      while (nl >= 0) {
        const line = err.slice(0, nl + 1)
        err = err.slice(nl + 1)
        if (!line.startsWith('{')) onStderr(line)
        else summaryText += line
        nl = err.indexOf('\n')
      }
    })
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig)
    }
    const onInt = (): void => {
      forward('SIGINT')
    }
    const onTerm = (): void => {
      forward('SIGTERM')
    }
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    child.on('error', (e) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      reject(e)
    })
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      if (err !== '' && !err.startsWith('{')) onStderr(err)
      else summaryText += err
      resolvePromise({ exitCode: code ?? (signal !== null ? 2 : 0), summary: parseSummary(summaryText) })
    })
  })
}
