/**
 * Event parameters kept for lazy rendering. Each event is re-encoded compactly and events are packed back
 * to back into chunks (one `event_raw` row per chunk of consecutive event numbers): one SQLite row per
 * event would cost more than the rest of the events table; a chunk row costs almost nothing.
 *
 * Encoding of one event: u32 total bytes (this field included), u16 type, u8 nparams, then nparams u32
 * parameter lengths, then the parameter bytes in order. Time, thread and cpu live in `events`.
 */
import { ScapEvent } from '../capture/scap-event'
import { EVENT_TABLE } from '../capture/schema/event-table.generated'
import type { EventInfo } from '../capture/schema/event-info'

export const CHUNK_EVENTS = 256
const CHUNK_BYTES = 256 * 1024

export class RawChunker {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES)
  private used = 0
  private first = -1
  private count = 0

  constructor(private readonly flush: (firstNum: number, count: number, raw: Buffer) => void) {}

  /** Appends one event (its number must follow the previous one, else the chunk is flushed first). */
  add(ev: ScapEvent): void {
    if (this.count > 0 && ev.num !== this.first + this.count) this.end()
    const n = Math.min(ev.nparams, 255)
    let size = 7 + 4 * n
    for (let i = 0; i < n; i++) size += ev.pLen[i] ?? 0
    if (this.used + size > this.buf.length) {
      this.end()
      if (size > this.buf.length) this.buf = Buffer.allocUnsafe(size)
    }
    if (this.count === 0) this.first = ev.num
    const b = this.buf
    let o = this.used
    b.writeUInt32LE(size, o)
    b.writeUInt16LE(ev.type, o + 4)
    b.writeUInt8(n, o + 6)
    o += 7
    for (let i = 0; i < n; i++) {
      b.writeUInt32LE(ev.pLen[i] ?? 0, o)
      o += 4
    }
    // parameters lie back to back after the length array: one copy per event when they are contiguous
    let start = ev.pOff[0] ?? 0
    let end = start
    for (let i = 0; i < n; i++) {
      const off = ev.pOff[i] ?? 0
      const len = ev.pLen[i] ?? 0
      if (off !== end) {
        ev.buf.copy(b, o, start, end)
        o += end - start
        start = off
      }
      end = off + len
    }
    if (n > 0) {
      ev.buf.copy(b, o, start, end)
      o += end - start
    }
    this.used = o
    this.count++
    if (this.count >= CHUNK_EVENTS) this.end()
  }

  /** Writes the pending chunk. */
  end(): void {
    if (this.count === 0) return
    this.flush(this.first, this.count, Buffer.from(this.buf.subarray(0, this.used)))
    this.used = 0
    this.count = 0
    this.first = -1
  }
}

/**
 * Rebuilds event `index` (0-based) of a chunk as a ScapEvent (parameters only: the caller sets num, time,
 * tid and cpu from the events table). Returns null when the chunk is too short (damaged index).
 */
export function eventFromChunk(raw: Buffer, index: number): ScapEvent | null {
  let o = 0
  for (let k = 0; k < index; k++) {
    if (o + 4 > raw.length) return null
    o += raw.readUInt32LE(o)
  }
  if (o + 7 > raw.length) return null
  const size = raw.readUInt32LE(o)
  if (o + size > raw.length) return null
  const ev = new ScapEvent()
  ev.buf = raw
  ev.off = o
  ev.len = size
  ev.type = raw.readUInt16LE(o + 4)
  const n = raw.readUInt8(o + 6)
  ev.nparams = n
  const info: EventInfo | undefined = EVENT_TABLE[ev.type]
  if (info !== undefined) {
    ev.info = info
    ev.layout = info.params0293 !== null && n <= info.params0293.length ? info.params0293 : info.params
  }
  let p = o + 7 + 4 * n
  for (let i = 0; i < n; i++) {
    const len = raw.readUInt32LE(o + 7 + 4 * i)
    ev.pOff[i] = p
    ev.pLen[i] = len
    p += len
  }
  return ev
}
