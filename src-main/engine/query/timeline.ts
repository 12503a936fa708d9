/**
 * Read model: events and alerts per time bucket, stacked by category, for any window. Wide windows are
 * summed from the pre-aggregated 1 ms buckets (timeline_fine) — an event is counted in the output bucket
 * holding the start of its fine bucket; windows narrower than 200 fine buckets are counted from the events
 * themselves, exactly.
 */
import type { Timeline, TimelineAlert, TimelineBucket, TimeWindow } from '../../common/model/types'
import { metaValue } from '../index/db'
import type { QueryDb } from './query-db'
import { priorityName } from './process-nodes'

export interface TimelineArgs {
  window?: TimeWindow | null
  buckets?: number
  /** cap on alert markers */
  alertLimit?: number
}

const CAT_KEYS = ['other', 'process', 'file', 'network'] as const

export function timeline(q: QueryDb, args: TimelineArgs = {}): Timeline {
  const n = Math.max(1, Math.min(2000, Math.floor(args.buckets ?? 100)))
  const { from, to } = q.window(args.window)
  const span = Math.max(1, to - from)
  const width = Math.max(1, Math.ceil(span / n))
  const buckets: TimelineBucket[] = []
  for (let i = 0; i < n; i++)
    buckets.push({ start: q.abs(from + i * width), process: 0, file: 0, network: 0, other: 0 })
  const add = (t: number, cat: number, count: number): void => {
    const i = Math.floor((t - from) / width)
    const b = buckets[i]
    const k = CAT_KEYS[cat] ?? 'other'
    if (b !== undefined) b[k] += count
  }
  const fine = Number(metaValue(q.db, 'fine_bucket_ns') ?? '0')
  if (fine > 0 && span >= 200 * fine) {
    const rows = q
      .q(
        'SELECT bucket, cat, sum(events) FROM timeline_fine WHERE bucket >= ? AND bucket < ? GROUP BY bucket, cat'
      )
      .raw()
      .all(Math.ceil(from / fine), Math.ceil(to / fine)) as [number, number, number][]
    for (const [b, cat, count] of rows) add(b * fine, cat, count)
  } else {
    const r = q.numRangeSql(from, to)
    const rows = q
      .q(
        `SELECT e.ts, e.cat, count(*) FROM events e WHERE ${r.sql} AND e.ts >= ? AND e.ts < ? AND e.hidden = 0 GROUP BY e.ts, e.cat`
      )
      .raw()
      .all(...r.params, from, to) as [number, number, number][]
    for (const [t, cat, count] of rows) add(t, cat, count)
  }
  const run = q.activeRun()
  const alerts: TimelineAlert[] =
    run === null
      ? []
      : (
          q
            .q(
              'SELECT id, ts, priority, rule FROM alerts WHERE run_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?'
            )
            .all(run, from, to, args.alertLimit ?? 5000) as {
            id: number
            ts: number
            priority: number
            rule: string
          }[]
        ).map((a) => ({ id: a.id, ts: q.abs(a.ts), priority: priorityName(a.priority), rule: a.rule }))
  return { window: { from: q.abs(from), to: q.abs(to) }, bucketNs: width, buckets, alerts }
}
