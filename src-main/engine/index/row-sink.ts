/**
 * What the import writes, as calls: implemented by IndexWriter (SQLite, same thread) and by RemoteWriter
 * (records the calls and replays them on an IndexWriter in a writer thread, so decoding and SQLite run on two
 * cores). Ids of strings and event types are assigned in call order, so both sides agree on them.
 */
import type { ScapEvent } from '../capture/scap-event'
import type { RunInfo } from './rules-prepare'
import type { AlertRowIn, ConnectionRowIn, FileActivityRow } from './writer'

/** upid, fdname, fdtype, bytes read, bytes written, reads, writes, first num, last num */
export type FdIoRow = [number | null, number, number | null, number, number, number, number, number, number]

export interface RowSink {
  intern(s: string): number
  internOrNull(s: string | null | undefined): number | null
  eventType(code: number, name: string, dir: string, category: number): number
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
  ): void
  rawEvent(ev: ScapEvent): void
  fileActivity(r: FileActivityRow): void
  connection(r: ConnectionRowIn): void
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
  ): void
  alert(a: AlertRowIn): void
  fdIo(rows: FdIoRow[]): void
  /** records a rules run starting; returns its id */
  rulesRunStart(info: RunInfo): number
  rulesRunFinish(id: number, info: RunInfo, events: number, alerts: number): void
  /** flushes buffered rows and writes the event types and posting lists */
  finishRows(): void
  commit(): void
}
