/**
 * Bulk writer of an index under construction. The hot path (one call per event) appends integers to a flat
 * array and runs one multi-row INSERT per EVENT_ROWS events; strings are interned in memory and written
 * once; processes and threads mutate during the import and are written at the end. Everything happens in
 * large transactions on a database opened with durability off (see createBuildDb): the build file only
 * becomes the index after it is complete.
 */
import type Database from 'better-sqlite3'
import type { WritableDb } from './db'
import { RawChunker } from './raw-events'
import type { FdIoRow, RowSink } from './row-sink'
import { finishRun, startRun, type RunInfo } from './rules-prepare'
import type { ScapEvent } from '../capture/scap-event'

const EVENT_COLS = 13
const EVENT_ROWS = 128
const COMMIT_EVERY = 200_000

export interface ProcessRow {
  upid: number
  pid: number
  vpid: number | null
  ppid: number | null
  parentUpid: number | null
  name: string
  exe: string
  exepath: string
  cmdline: string
  args: string
  cwd: string
  uid: number | null
  user: string | null
  loginuid: number | null
  loginuser: string | null
  tty: number | null
  sid: number | null
  containerId: string
  startTs: number | null
  execTs: number | null
  endTs: number | null
  exitStatus: number | null
  fromSnapshot: boolean
  firstNum: number | null
  lastNum: number | null
  events: number
}

export interface ThreadRow {
  utid: number
  tid: number
  upid: number
  name: string
  startTs: number | null
  endTs: number | null
  events: number
}

export interface FileActivityRow {
  num: number
  ts: number
  upid: number | null
  utid: number | null
  op: string
  path: string
  path2: string | null
  access: number
  flags: number | null
  fd: number | null
  res: number | null
}

export interface ConnectionRowIn {
  num: number
  ts: number
  upid: number | null
  utid: number | null
  fd: number | null
  op: string
  l4proto: string
  family: number
  direction: 'in' | 'out' | 'listen'
  lip: string
  lport: number
  rip: string
  rport: number
  local: boolean
  name: string
  res: number | null
}

export interface AlertRowIn {
  runId: number
  rule: string
  priority: number
  output: string
  tags: readonly string[]
  source: string
  num: number
  ts: number
  upid: number | null
  utid: number | null
  outputFields: Record<string, unknown>
}

export interface ImportStatRow {
  code: string
  source: string
  severity: string
  count: number
  message: string
  firstOffset?: number
}

type Stmt = Database.Statement

/** MITRE tactic tag of a Falco rule, e.g. "mitre_execution". */
export function tacticOf(tags: readonly string[]): string | null {
  for (const t of tags) if (/^mitre_/i.test(t)) return t.toLowerCase()
  return null
}

/** Technique tag of a Falco rule, e.g. "T1059.004". */
export function techniqueOf(tags: readonly string[]): string | null {
  for (const t of tags) if (/^T\d{4}(\.\d{3})?$/.test(t)) return t
  return null
}

export class IndexWriter implements RowSink {
  private readonly strings = new Map<string, number>()
  private readonly insString: Stmt
  private readonly insEventMany: Stmt
  private readonly insEventOne: Stmt
  private readonly insRaw: Stmt
  private readonly insFile: Stmt
  private readonly insConn: Stmt
  private readonly insAlert: Stmt
  private readonly insIo: Stmt
  private readonly pending: (number | null)[] = new Array<number | null>(EVENT_COLS * EVENT_ROWS)
  private pendingRows = 0
  private sinceCommit = 0
  private inTx = false
  readonly raw: RawChunker
  private readonly byType: number[][] = []
  private readonly byUpid: number[][] = []
  private readonly byFdName: number[][] = []
  /** per event-type id: [code, name, dir, category, count] */
  private readonly types = new Map<string, number>()
  private readonly typeRows: { code: number; name: string; dir: string; category: number; count: number }[] =
    [
      { code: -1, name: '', dir: '', category: 0, count: 0 } // ids start at 1
    ]

  constructor(readonly db: WritableDb) {
    this.insString = db.prepare('INSERT INTO strings (id, s) VALUES (?, ?)')
    const one = `(${new Array(EVENT_COLS).fill('?').join(',')})`
    this.insEventOne = db.prepare(`INSERT INTO events VALUES ${one}`)
    this.insEventMany = db.prepare(`INSERT INTO events VALUES ${new Array(EVENT_ROWS).fill(one).join(',')}`)
    this.insRaw = db.prepare('INSERT INTO event_raw (num, raw) VALUES (?, ?)')
    this.insFile = db.prepare(
      'INSERT INTO file_activity (num, ts, upid, utid, op, path, path2, access, flags, fd, res) VALUES (?,?,?,?,?,?,?,?,?,?,?)'
    )
    this.insConn = db.prepare(
      'INSERT INTO connections (num, ts, upid, utid, fd, op, l4proto, family, direction, lip, lport, rip, rport, local, name, res) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)'
    )
    this.insAlert = db.prepare(alertInsertSql())
    this.insIo = db.prepare(
      'INSERT INTO io_chunks (num, ts, upid, utid, fd, fdname, fdtype, dir, len, data) VALUES (?,?,?,?,?,?,?,?,?,?)'
    )
    this.raw = new RawChunker((first, _count, buf) => {
      this.insRaw.run(first, buf)
    })
    this.begin()
  }

  private begin(): void {
    this.db.exec('BEGIN')
    this.inTx = true
  }

  /** Commits now and then so the page cache does not hold the whole build. */
  private tick(): void {
    if (++this.sinceCommit < COMMIT_EVERY) return
    this.sinceCommit = 0
    this.db.exec('COMMIT')
    this.db.exec('BEGIN')
  }

  /** Id of a string, inserting it the first time. */
  intern(s: string): number {
    let id = this.strings.get(s)
    if (id === undefined) {
      id = this.strings.size + 1
      this.strings.set(s, id)
      this.insString.run(id, s)
    }
    return id
  }

  internOrNull(s: string | null | undefined): number | null {
    return s === null || s === undefined ? null : this.intern(s)
  }

  /** Id of an event type (code and evt.type name; generic syscalls have one code for many names). */
  eventType(code: number, name: string, dir: string, category: number): number {
    const key = name + dir
    let id = this.types.get(key)
    if (id === undefined) {
      id = this.typeRows.length
      this.types.set(key, id)
      this.typeRows.push({ code, name, dir, category, count: 0 })
    }
    return id
  }

  event(
    num: number,
    ts: number,
    etype: number,
    cpu: number,
    utid: number | null,
    upid: number | null,
    fd: number | null,
    fdname: number | null,
    fdtype: number | null,
    res: number | null,
    cat: number,
    hidden: number,
    tid: number | null
  ): void {
    const p = this.pending
    let o = this.pendingRows * EVENT_COLS
    p[o++] = num
    p[o++] = ts
    p[o++] = etype
    p[o++] = cpu
    p[o++] = utid
    p[o++] = upid
    p[o++] = fd
    p[o++] = fdname
    p[o++] = fdtype
    p[o++] = res
    p[o++] = cat
    p[o++] = hidden
    p[o] = tid
    const t = this.typeRows[etype]
    if (t !== undefined) t.count++
    // posting lists: the access paths into events (no secondary indexes)
    ;(this.byType[etype] ??= []).push(num)
    if (upid !== null) (this.byUpid[upid] ??= []).push(num)
    if (fdname !== null) (this.byFdName[fdname] ??= []).push(num)
    if (++this.pendingRows === EVENT_ROWS) {
      this.insEventMany.run(p)
      this.pendingRows = 0
    }
    this.tick()
  }

  /** Keeps the event's parameters for lazy rendering. */
  rawEvent(ev: ScapEvent): void {
    this.raw.add(ev)
  }

  private flushEvents(): void {
    const p = this.pending
    for (let r = 0; r < this.pendingRows; r++)
      this.insEventOne.run(p.slice(r * EVENT_COLS, (r + 1) * EVENT_COLS))
    this.pendingRows = 0
  }

  fileActivity(r: FileActivityRow): void {
    this.insFile.run(
      r.num,
      r.ts,
      r.upid,
      r.utid,
      r.op,
      this.intern(r.path),
      this.internOrNull(r.path2),
      r.access,
      r.flags,
      r.fd,
      r.res
    )
  }

  connection(r: ConnectionRowIn): void {
    this.insConn.run(
      r.num,
      r.ts,
      r.upid,
      r.utid,
      r.fd,
      r.op,
      r.l4proto,
      r.family,
      r.direction,
      r.lip,
      r.lport,
      r.rip,
      r.rport,
      r.local ? 1 : 0,
      this.intern(r.name),
      r.res
    )
  }

  ioChunk(
    num: number,
    ts: number,
    upid: number | null,
    utid: number | null,
    fd: number,
    fdname: number | null,
    fdtype: number | null,
    dir: 0 | 1,
    len: number,
    data: Buffer | null
  ): void {
    this.insIo.run(num, ts, upid, utid, fd, fdname, fdtype, dir, len, data)
  }

  /** Writes posting lists (sorted event numbers per key). */
  postings(kind: string, lists: Iterable<[number, ArrayLike<number> | undefined]>): void {
    const ins = this.db.prepare('INSERT INTO event_postings (kind, key, count, nums) VALUES (?,?,?,?)')
    for (const [key, nums] of lists) {
      if (nums === undefined || nums.length === 0) continue
      const a = Uint32Array.from(nums)
      ins.run(kind, key, a.length, Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    }
  }

  alert(a: AlertRowIn): void {
    insertAlert(this.insAlert, a)
  }

  /** A chunk of raw events made elsewhere (the writer thread receives them ready). */
  rawChunk(first: number, buf: Buffer): void {
    this.insRaw.run(first, buf)
  }

  fdIo(rows: FdIoRow[]): void {
    const ins = this.db.prepare(
      'INSERT INTO fd_io (upid, fdname, fdtype, bytes_read, bytes_written, reads, writes, first_num, last_num) VALUES (?,?,?,?,?,?,?,?,?)'
    )
    for (const r of rows) ins.run(r)
  }

  rulesRunStart(info: RunInfo): number {
    return startRun(this.db, info, { duringImport: true })
  }

  rulesRunFinish(id: number, info: RunInfo, events: number, alerts: number): void {
    finishRun(this.db, id, info, events, alerts, 'complete')
  }

  /** Flushes buffered rows, writes the event types, and commits. Processes/threads are written by the caller. */
  finishRows(): void {
    this.flushEvents()
    this.raw.end()
    this.postings('etype', this.byType.entries())
    this.postings('upid', this.byUpid.entries())
    this.postings('fdname', this.byFdName.entries())
    const ins = this.db.prepare(
      'INSERT INTO event_types (id, code, name, dir, category, count) VALUES (?,?,?,?,?,?)'
    )
    for (let id = 1; id < this.typeRows.length; id++) {
      const t = this.typeRows[id]
      if (t !== undefined) ins.run(id, t.code, t.name, t.dir, t.category, t.count)
    }
  }

  commit(): void {
    if (!this.inTx) return
    this.db.exec('COMMIT')
    this.inTx = false
  }
}

/** Shared by the build and by later rules runs. */
export function insertAlert(stmt: Stmt, a: AlertRowIn): void {
  stmt.run(
    a.runId,
    a.rule,
    a.priority,
    a.output,
    JSON.stringify(a.tags),
    tacticOf(a.tags),
    techniqueOf(a.tags),
    a.source,
    a.num,
    a.ts,
    a.upid,
    a.utid,
    JSON.stringify(a.outputFields)
  )
}

export function alertInsertSql(): string {
  return 'INSERT INTO alerts (run_id, rule, priority, output, tags, tactic, technique, source, num, ts, upid, utid, output_fields) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)'
}

export function writeProcess(stmt: Stmt, p: ProcessRow): void {
  stmt.run(
    p.upid,
    p.pid,
    p.vpid,
    p.ppid,
    p.parentUpid,
    p.name,
    p.exe,
    p.exepath,
    p.cmdline,
    p.args,
    p.cwd,
    p.uid,
    p.user,
    p.loginuid,
    p.loginuser,
    p.tty,
    p.sid,
    p.containerId,
    p.startTs,
    p.execTs,
    p.endTs,
    p.exitStatus,
    p.fromSnapshot ? 1 : 0,
    p.firstNum,
    p.lastNum,
    p.events
  )
}

export const PROCESS_INSERT_SQL =
  'INSERT OR REPLACE INTO processes (upid, pid, vpid, ppid, parent_upid, name, exe, exepath, cmdline, args, cwd, uid, user, loginuid, loginuser, tty, sid, container_id, start_ts, exec_ts, end_ts, exit_status, from_snapshot, first_num, last_num, events) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)'

export const THREAD_INSERT_SQL =
  'INSERT OR REPLACE INTO threads (utid, tid, upid, name, start_ts, end_ts, events) VALUES (?,?,?,?,?,?,?)'

export function writeThread(stmt: Stmt, t: ThreadRow): void {
  stmt.run(t.utid, t.tid, t.upid, t.name, t.startTs, t.endTs, t.events)
}
