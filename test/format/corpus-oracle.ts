/**
 * Corpus comparison helpers: decode a capture with the state engine, render each event with a formatter, and
 * compare with `sysdig -r FILE -p FORMAT` line by line (keyed by evt.num, the first token of every line).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { readCapture } from '../../src-main/engine/capture/read-capture'
import type { CaptureVisitor } from '../../src-main/engine/capture/capture-types'
import type { ScapEvent } from '../../src-main/engine/capture/scap-event'
import { StateEngine } from '../../src-main/engine/state/state-engine'
import { StateRenderContext } from '../../src-main/engine/format/state-context'
import type { RenderContext } from '../../src-main/engine/format/render-context'

export const SYSDIG = '/usr/bin/sysdig'
export const CORPUS = path.resolve(__dirname, '../../../shared/corpus/files')
export const hasSysdig = existsSync(SYSDIG) && existsSync(CORPUS)

/** Lines sysdig prints for the format, keyed by their first token (evt.num). */
export function sysdigLines(
  file: string,
  format: string | null,
  tz = 'UTC',
  extra: readonly string[] = [],
  /** 'latin1' keeps sysdig's bytes one char each, for byte-exact comparisons. */
  encoding: 'utf8' | 'latin1' = 'utf8'
): Map<number, string> {
  const args = [...extra, ...(format === null ? ['-r', file] : ['-r', file, '-p', format])]
  const out = execFileSync(SYSDIG, args, {
    maxBuffer: 1 << 30,
    encoding,
    env: { ...process.env, TZ: tz }
  })
  // A value may contain newlines (e.g. a container JSON ends with one): a physical line that does not start
  // with "<digits> " continues the previous record.
  const m = new Map<number, string>()
  let num = -1
  let cur = ''
  const flush = (): void => {
    if (num >= 0) m.set(num, cur)
  }
  const lines = out.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  for (const line of lines) {
    const hit = /^(\d+)[ \t]/.exec(line)
    if (hit !== null || num < 0) {
      flush()
      num = hit !== null ? Number(hit[1]) : -1
      cur = line
    } else cur += '\n' + line
  }
  flush()
  return m
}

/** Decodes the file with the state engine and renders the wanted events (by evt.num) with `render`. */
export async function ourLines(
  file: string,
  wanted: ReadonlySet<number>,
  render: (ev: ScapEvent, ctx: RenderContext, engine: StateEngine) => string,
  onEvent?: (ev: ScapEvent) => void
): Promise<Map<number, string>> {
  const engine = new StateEngine()
  const ctx = new StateRenderContext(engine)
  const out = new Map<number, string>()
  const visitor: CaptureVisitor = {
    section: () => {
      engine.section()
    },
    machineInfo: (mi) => {
      engine.machineInfo(mi)
    },
    thread: (t) => {
      engine.thread(t)
    },
    fd: (tid, f) => {
      engine.fd(tid, f)
    },
    user: (u) => {
      engine.user(u)
    },
    group: (g) => {
      engine.group(g)
    },
    iface: (i) => {
      engine.iface(i)
    },
    event: (ev) => {
      onEvent?.(ev)
      engine.process(ev)
      if (wanted.has(ev.num)) out.set(ev.num, render(ev, ctx, engine))
      return true
    }
  }
  await readCapture(file, visitor, { eventSet: 'sysdig0293' })
  return out
}
