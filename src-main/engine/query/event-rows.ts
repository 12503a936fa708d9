/**
 * Index rows → EventRow, with the arguments (evt.info) rendered lazily from the stored parameters by the
 * same renderer `peregrine events` uses. The render context answers from the index: the event's own fd
 * (name, type, protocol as they were at that event), thread names by tid, the process's cwd and user names.
 * Fds other than the event's own are not known at query time and show as bare numbers.
 */
import type { EventRow } from '../../common/model/types'
import { renderEvtArgs } from '../format/evt-info'
import type { FdView, RenderContext } from '../format/render-context'
import { eventFromChunk } from '../index/raw-events'
import { CATEGORY_NAMES } from '../index/categories'
import type { QueryDb } from './query-db'
import { resultText } from './errno-names'

export interface EventDbRow {
  num: number
  ts: number
  cpu: number
  etype: number
  utid: number | null
  upid: number | null
  fd: number | null
  fdname: number | null
  fdtype: number | null
  res: number | null
  cat: number
  /** the header tid where utid does not give it (see events.tid) */
  tid: number | null
}

export const EVENT_COLS =
  'e.num, e.ts, e.cpu, e.etype, e.utid, e.upid, e.fd, e.fdname, e.fdtype, e.res, e.cat, e.tid'

interface TypeRow {
  name: string
  dir: string
}

class IndexRenderContext implements RenderContext {
  hasThread = false
  private fdNum: number | null = null
  private fdView: FdView | undefined
  private cwdText = ''

  constructor(private readonly rows: EventRowBuilder) {}

  set(r: EventDbRow, fdName: string | null, cwd: string): void {
    this.hasThread = r.utid !== null
    this.fdNum = r.fd
    this.fdView =
      fdName === null || r.fdtype === null
        ? undefined
        : { type: r.fdtype & 255, l4proto: r.fdtype >> 8, name: fdName }
    this.cwdText = cwd
  }

  fd(n: number): FdView | undefined {
    return n === this.fdNum ? this.fdView : undefined
  }

  comm(tid: number): string | undefined {
    return this.rows.threadName(tid)
  }

  cwd(): string {
    return this.cwdText
  }

  userName(uid: number): string | undefined {
    return this.rows.userName(uid)
  }

  groupName(): string | undefined {
    return undefined
  }
}

/** Builds EventRows for one query (caches small lookups). */
export class EventRowBuilder {
  private readonly types = new Map<number, TypeRow>()
  private readonly procs = new Map<number, { pid: number; name: string; cwd: string }>()
  private readonly tids = new Map<number, number>()
  private readonly ctx = new IndexRenderContext(this)
  private chunk: { first: number; raw: Buffer } | null = null

  constructor(private readonly q: QueryDb) {}

  threadName(tid: number): string | undefined {
    const r = this.q.q('SELECT name FROM threads WHERE tid = ? ORDER BY utid DESC LIMIT 1').get(tid) as
      { name: string } | undefined
    return r?.name
  }

  userName(uid: number): string | undefined {
    const r = this.q.q('SELECT name FROM users WHERE uid = ?').get(uid) as { name: string } | undefined
    return r?.name
  }

  private type(id: number): TypeRow {
    let t = this.types.get(id)
    if (t === undefined) {
      t = (this.q.q('SELECT name, dir FROM event_types WHERE id = ?').get(id) as TypeRow | undefined) ?? {
        name: '?',
        dir: '>'
      }
      this.types.set(id, t)
    }
    return t
  }

  private proc(upid: number | null): { pid: number; name: string; cwd: string } {
    if (upid === null) return { pid: -1, name: '', cwd: '' }
    let p = this.procs.get(upid)
    if (p === undefined) {
      const r = this.q.q('SELECT pid, name, cwd FROM processes WHERE upid = ?').get(upid) as
        { pid: number; name: string | null; cwd: string | null } | undefined
      p = { pid: r?.pid ?? -1, name: r?.name ?? '', cwd: r?.cwd ?? '' }
      this.procs.set(upid, p)
    }
    return p
  }

  private tid(utid: number | null): number {
    if (utid === null) return -1
    let t = this.tids.get(utid)
    if (t === undefined) {
      const r = this.q.q('SELECT tid FROM threads WHERE utid = ?').get(utid) as { tid: number } | undefined
      t = r?.tid ?? -1
      this.tids.set(utid, t)
    }
    return t
  }

  private str(id: number | null): string | null {
    if (id === null) return null
    const r = this.q.q('SELECT s FROM strings WHERE id = ?').get(id) as { s: string } | undefined
    return r?.s ?? null
  }

  /** evt.info of an event, from its stored parameters ('' when they are not stored). */
  info(r: EventDbRow, fdName: string | null, cwd: string): string {
    let ch = this.chunk
    if (ch === null || r.num < ch.first || r.num >= ch.first + 256) {
      const row = this.q
        .q('SELECT num, raw FROM event_raw WHERE num <= ? ORDER BY num DESC LIMIT 1')
        .get(r.num) as { num: number; raw: Buffer } | undefined
      if (row === undefined) return ''
      ch = { first: row.num, raw: row.raw }
      this.chunk = ch
    }
    const ev = eventFromChunk(ch.raw, r.num - ch.first)
    if (ev === null) return ''
    ev.num = r.num
    this.ctx.set(r, fdName, cwd)
    try {
      return renderEvtArgs(ev, this.ctx).trimEnd()
    } catch {
      return ''
    }
  }

  /** proc.name of the thread at that event (thread_names), else the process's last name. */
  private nameAt(r: EventDbRow, fallback: string): string {
    if (r.utid === null) return fallback
    const row = this.q
      .q('SELECT name FROM thread_names WHERE utid = ? AND from_num <= ? ORDER BY from_num DESC LIMIT 1')
      .get(r.utid, r.num) as { name: string | null } | undefined
    return row?.name ?? fallback
  }

  row(r: EventDbRow): EventRow {
    const t = this.type(r.etype)
    const p = this.proc(r.upid)
    const fdName = this.str(r.fdname)
    return {
      num: r.num,
      ts: this.q.abs(r.ts),
      cpu: r.cpu,
      dir: t.dir === '<' ? '<' : '>',
      type: t.name,
      category: CATEGORY_NAMES[r.cat] ?? 'other',
      upid: r.upid,
      pid: p.pid,
      tid: r.tid ?? this.tid(r.utid),
      procName: this.nameAt(r, p.name),
      fdName,
      res: resultText(r.res),
      info: this.info(r, fdName, p.cwd)
    }
  }
}
