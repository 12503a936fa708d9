/**
 * A read-only index with what every read model needs: the capture's time origin (relative ns ↔ absolute
 * decimal ns strings), the active rules run, and prepared-statement caching.
 */
import type Database from 'better-sqlite3'
import { openReadable, type ReadableDb } from '../index/db'
import type { TimeNs, TimeWindow } from '../../common/model/types'

export class QueryDb {
  private readonly base: bigint
  private readonly stmts = new Map<string, Database.Statement>()
  readonly firstTs: number
  readonly lastTs: number

  constructor(
    readonly db: ReadableDb,
    readonly path: string
  ) {
    const cap = db.prepare('SELECT base_ts, first_ts, last_ts FROM capture WHERE id = 1').get() as
      { base_ts: string | null; first_ts: number | null; last_ts: number | null } | undefined
    this.base = BigInt(cap?.base_ts ?? '0')
    this.firstTs = cap?.first_ts ?? 0
    this.lastTs = cap?.last_ts ?? 0
  }

  static open(path: string): QueryDb {
    return new QueryDb(openReadable(path), path)
  }

  close(): void {
    this.db.close()
  }

  /** A cached prepared statement. */
  q(sql: string): Database.Statement {
    let s = this.stmts.get(sql)
    if (s === undefined) {
      s = this.db.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  /** Relative ns → absolute decimal ns. */
  abs(rel: number): TimeNs {
    return (this.base + BigInt(rel)).toString()
  }

  absOrNull(rel: number | null): TimeNs | null {
    return rel === null ? null : this.abs(rel)
  }

  /** Absolute decimal ns → relative ns. */
  rel(abs: TimeNs): number {
    return Number(BigInt(abs) - this.base)
  }

  /** A window as relative [from, to), the whole capture when null. */
  window(w: TimeWindow | null | undefined): { from: number; to: number } {
    if (w === null || w === undefined) return { from: this.firstTs, to: this.lastTs + 1 }
    return { from: this.rel(w.from), to: this.rel(w.to) }
  }

  /**
   * Ranges of event numbers that can hold events of relative times [from, to), one per capture section, from
   * the fine timeline's per-bucket bounds (hidden events between visible ones fall inside too).
   */
  numRanges(from: number, to: number): [number, number][] {
    const fine = this.fineNs()
    if (fine <= 0) return [[1, Number.MAX_SAFE_INTEGER]]
    return this.q(
      'SELECT min(first_num), max(last_num) FROM timeline_fine WHERE bucket >= ? AND bucket <= ? GROUP BY section ORDER BY 1'
    )
      .raw()
      .all(Math.floor(from / fine), Math.floor((to - 1) / fine)) as [number, number][]
  }

  /** SQL condition (with its parameters) restricting `e.num` to the ranges of a time window. */
  numRangeSql(from: number, to: number): { sql: string; params: number[] } {
    const ranges = this.numRanges(from, to)
    if (ranges.length === 0) return { sql: '0', params: [] }
    return {
      sql: '(' + ranges.map(() => 'e.num BETWEEN ? AND ?').join(' OR ') + ')',
      params: ranges.flat()
    }
  }

  private fine = -1

  fineNs(): number {
    if (this.fine < 0) {
      const r = this.q("SELECT value FROM meta WHERE key = 'fine_bucket_ns'").get() as
        { value: string } | undefined
      this.fine = Number(r?.value ?? '0')
    }
    return this.fine
  }

  private visible = -1

  /** Events sysdig prints (hidden internal events excluded), counted once. */
  visibleEvents(): number {
    if (this.visible < 0) {
      const m = this.q("SELECT value FROM meta WHERE key = 'visible_events'").get() as
        { value: string } | undefined
      this.visible =
        m !== undefined
          ? Number(m.value)
          : (this.q('SELECT count(*) AS n FROM events WHERE hidden = 0').get() as { n: number }).n
    }
    return this.visible
  }

  private hiddenTypes: Map<number, number> | null = null

  /** Hidden events per event type id (from the import; counted once for older indexes). */
  hiddenByType(): Map<number, number> {
    if (this.hiddenTypes === null) {
      const m = this.q("SELECT value FROM meta WHERE key = 'hidden_by_type'").get() as
        { value: string } | undefined
      const pairs: [number, number][] =
        m !== undefined
          ? Object.entries(JSON.parse(m.value) as Record<string, number>).map(([k, v]): [number, number] => [
              Number(k),
              v
            ])
          : (this.q('SELECT etype, count(*) FROM events WHERE hidden = 1 GROUP BY etype').raw().all() as [
              number,
              number
            ][])
      this.hiddenTypes = new Map(pairs)
    }
    return this.hiddenTypes
  }

  /** The rules run the views show: the active one, else the latest complete one; null when none. */
  activeRun(): number | null {
    const r = this.q(
      "SELECT id FROM rules_runs WHERE status = 'complete' ORDER BY active DESC, id DESC LIMIT 1"
    ).get() as { id: number } | undefined
    return r?.id ?? null
  }
}
