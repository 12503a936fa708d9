/**
 * Alerts as Falco JSON output lines (the shape `falco -o json_output=true -o time_format_iso_8601=true`
 * prints: hostname, output, output_fields, priority, rule, source, tags, time), written by the rule engine's
 * own formatter so they can go straight to Falcosidekick or a SIEM. The time field in output_fields is the
 * exact ns integer, written as digits (a JS number would round it).
 */
import type { AlertRow } from '../../common/model/types'
import { nsFromBigInt } from '../../common/time'
import { jsonLine } from '../rules/alert-output'
import { PRIORITIES } from '../../common/model/types'

function outputFieldsJson(stored: string | null, ts: string): string {
  let fields: Record<string, unknown> = {}
  if (stored !== null) {
    try {
      const v = JSON.parse(stored) as unknown
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) fields = v as Record<string, unknown>
    } catch {
      fields = {}
    }
  }
  const entries: [string, string][] = Object.entries(fields)
    .filter(([k]) => k !== 'evt.time' && k !== 'evt.time.iso8601')
    .map(([k, v]) => [k, JSON.stringify(v) ?? 'null'])
  entries.push(['evt.time.iso8601', /^\d{1,20}$/.test(ts) ? ts : '0'])
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`
}

export function falcoJsonLine(
  a: AlertRow,
  extra: { source: string; fields: string | null } | undefined,
  hostname: string
): string {
  const t = nsFromBigInt(BigInt(/^\d{1,20}$/.test(a.ts) ? a.ts : '0'))
  return jsonLine(
    {
      rule: a.rule,
      priority: Math.max(0, PRIORITIES.indexOf(a.priority)),
      tags: a.tags,
      source: extra?.source ?? 'syscall',
      time: { tsHi: t.hi, tsLo: t.lo },
      message: a.output,
      outputFieldsJson: outputFieldsJson(extra?.fields ?? null, a.ts)
    },
    { iso8601: true, hostname }
  )
}
