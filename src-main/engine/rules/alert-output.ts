/**
 * Falco's alert lines. Text: `<time>: <Priority> <message>` where time is `%evt.time` (local HH:MM:SS.nnnnnnnnn)
 * or, with the ISO option, `%evt.time.iso8601` (UTC `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000`). JSON: one object per
 * alert with keys in Falco's (sorted) order: hostname, output, output_fields, priority, rule, source, tags, time;
 * `output_fields` maps each `%field` token as written to its typed value (numbers as numbers, booleans as
 * booleans, missing as null) plus the time prefix field in ns; transformer tokens are left out, as Falco does.
 */
import { nsSplit, nsToString } from '../../common/time'
import type { FieldValue } from '../filter/field-registry'
import type { CompiledFormat } from '../filter/output-format'
import { priorityName } from './loader/items'

export interface AlertTime {
  tsHi: number
  tsLo: number
}

export interface AlertLineOptions {
  iso8601?: boolean
  hostname?: string
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0')
}

/** `HH:MM:SS.nnnnnnnnn` in local time, as sysdig/Falco print %evt.time. */
export function evtTimeText(tsHi: number, tsLo: number): string {
  const { sec, nsec } = nsSplit(tsHi, tsLo)
  const d = new Date(sec * 1000)
  return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(nsec, 9)}`
}

function utcParts(tsHi: number, tsLo: number): { date: string; time: string; nsec: string } {
  const { sec, nsec } = nsSplit(tsHi, tsLo)
  const d = new Date(sec * 1000)
  return {
    date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`,
    time: `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`,
    nsec: pad(nsec, 9)
  }
}

/** `%evt.time.iso8601`: `2016-08-04T16:17:57.881781397+0000`. */
export function evtTimeIso(tsHi: number, tsLo: number): string {
  const p = utcParts(tsHi, tsLo)
  return `${p.date}T${p.time}.${p.nsec}+0000`
}

/** JSON `time`: `2016-08-04T16:17:57.881781397Z`. */
export function jsonTime(tsHi: number, tsLo: number): string {
  const p = utcParts(tsHi, tsLo)
  return `${p.date}T${p.time}.${p.nsec}Z`
}

/** Falco escapes the text line like a JSON string body (control characters escaped) without quoting it. */
export function escapeLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f]/.test(s)) return s
  const j = JSON.stringify(s)
  return j.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\')
}

export function textLine(
  time: AlertTime,
  priority: number,
  message: string,
  opts: AlertLineOptions = {}
): string {
  const t = opts.iso8601 === true ? evtTimeIso(time.tsHi, time.tsLo) : evtTimeText(time.tsHi, time.tsLo)
  return escapeLine(`${t}: ${priorityName(priority)} ${message}`)
}

const NUMERIC = new Set(['int', 'uint', 'double', 'port', 'reltime', 'abstime', 'mode', 'flags'])

/** A field value as a JSON literal, typed by the field's type. */
function jsonValue(type: string, v: FieldValue | undefined, render: (v: FieldValue) => string): string {
  if (v === undefined) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if ((typeof v === 'number' || typeof v === 'bigint') && NUMERIC.has(type)) {
    if (typeof v === 'number' && !Number.isFinite(v)) return 'null'
    return String(v)
  }
  return JSON.stringify(render(v))
}

export interface AlertRecord {
  rule: string
  priority: number
  tags: readonly string[]
  source: string
  time: AlertTime
  /** The rendered rule output (without time and priority). */
  message: string
  /** `output_fields` as a JSON object text. */
  outputFieldsJson: string
}

/** Renders a rule's output for one event: the message and the JSON output_fields. */
export function renderAlert<C>(
  format: CompiledFormat<C>,
  ctx: C,
  time: AlertTime,
  opts: AlertLineOptions = {}
): { message: string; outputFieldsJson: string } {
  const message = format.format(ctx) ?? ''
  const entries: [string, string][] = [
    [opts.iso8601 === true ? 'evt.time.iso8601' : 'evt.time', nsToString(time.tsHi, time.tsLo)]
  ]
  for (const f of format.fields) {
    if (f.transformed) continue
    entries.push([f.name, jsonValue(f.operand.type, f.get(ctx), f.render)])
  }
  const seen = new Map<string, string>()
  for (const [k, v] of entries) seen.set(k, v)
  const body = [...seen.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')
  return { message, outputFieldsJson: `{${body}}` }
}

export function jsonLine(a: AlertRecord, opts: AlertLineOptions = {}): string {
  const output = textLine(a.time, a.priority, a.message, opts)
  const tags = [...a.tags].sort()
  return (
    `{"hostname":${JSON.stringify(opts.hostname ?? '')},"output":${JSON.stringify(output)},` +
    `"output_fields":${a.outputFieldsJson},"priority":${JSON.stringify(priorityName(a.priority))},` +
    `"rule":${JSON.stringify(a.rule)},"source":${JSON.stringify(a.source)},"tags":${JSON.stringify(tags)},` +
    `"time":${JSON.stringify(jsonTime(a.time.tsHi, a.time.tsLo))}}`
  )
}
