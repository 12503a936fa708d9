import { EVENT_TABLE, PT } from './schema/event-table.generated'
import type { EventInfo, ParamInfo } from './schema/event-info'
import { PPM_SC_NAMES } from './schema/ppm-sc.generated'

const TWO32 = 4294967296

/**
 * Generic-event syscall names where sysdig 0.29.3 prints something other than the PPM_SC table name (seen on
 * the corpus: ID 0 on cat_write.scap, ID 298 on capture.scap and four more files).
 */
const GENERIC_NAMES_0293: ReadonlyMap<number, string> = new Map([
  [0, '<unknown>'],
  [298, 'sigreturn']
])
const MAX_PARAMS = 64

/**
 * One decoded event, as a flyweight: the decoder reuses a single instance and re-points it at each event
 * (`buf` is the block's bytes and is only valid during the callback that received it). Keep an event past
 * its callback with `clone()`.
 *
 * Parameter offsets are computed by the decoder; values are decoded on demand by index. `layout` is the
 * parameter list that matches this event's nparams: sysdig 0.29.3's (2022) layout when the event has no
 * more parameters than that, the current one otherwise.
 */
export class ScapEvent {
  buf: Buffer = Buffer.alloc(0)
  /** Offset of the event header (ts) within buf. */
  off = 0
  /** Event length from the header (header + length array + params). */
  len = 0
  type = 0
  /** Host thread id; -1 for "no thread" (0xFFFFFFFFFFFFFFFF). */
  tid = -1
  tsHi = 0
  tsLo = 0
  cpu = 0
  /** Dump flags of EVF blocks (bit0 STATE_ONLY), 0 otherwise. */
  dumpFlags = 0
  nparams = 0
  /** evt.num: 1-based position among the events delivered (as sysdig numbers them). */
  num = 0
  /** Byte offset of the block holding this event within the (uncompressed) capture. */
  fileOffset = 0
  info: EventInfo = EVENT_TABLE[0] as EventInfo
  layout: readonly ParamInfo[] = []
  readonly pOff = new Int32Array(MAX_PARAMS)
  readonly pLen = new Int32Array(MAX_PARAMS)

  /** True for enter events (even codes, ">"). */
  get isEnter(): boolean {
    return (this.type & 1) === 0
  }

  /** evt.type: the event table name, or for generic syscall events the syscall name of the ID param. */
  get typeName(): string {
    if (this.type <= 1 && this.nparams > 0 && this.pLen[0] === 2) {
      const sc = this.buf.readUInt16LE(this.pOff[0] ?? 0)
      return GENERIC_NAMES_0293.get(sc) ?? PPM_SC_NAMES[sc] ?? 'syscall'
    }
    return this.info.name
  }

  /** Index of the parameter with that name in this event's layout, or -1. */
  paramIndex(name: string): number {
    const l = this.layout
    for (let i = 0; i < l.length && i < this.nparams; i++) if ((l[i] as ParamInfo)[0] === name) return i
    return -1
  }

  /** PT type id of parameter i (PT.NONE if beyond the known layout). */
  paramType(i: number): number {
    return this.layout[i]?.[1] ?? PT.NONE
  }

  paramLength(i: number): number {
    return i < this.nparams ? (this.pLen[i] ?? 0) : 0
  }

  hasParam(i: number): boolean {
    return i >= 0 && i < this.nparams
  }

  /**
   * Integer value of parameter i, by its byte length (1, 2, 4 or 8; signed for 8-byte values, which covers
   * ERRNO/FD/PID/INT64; u64 values above 2^63 come out negative, and values beyond 2^53 lose precision:
   * use `u64String`). Returns undefined when the parameter is absent or empty.
   */
  int(i: number): number | undefined {
    if (i < 0 || i >= this.nparams) return undefined
    const o = this.pOff[i] ?? 0
    // Byte arithmetic instead of Buffer's read methods (their argument checks showed per event); the
    // decoder has checked that the parameter lies inside the event.
    const b = this.buf
    switch (this.pLen[i]) {
      case 8: {
        const lo = i32At(b, o) >>> 0
        return i32At(b, o + 4) * TWO32 + lo
      }
      case 4: {
        const v = i32At(b, o)
        return isSignedType(this.paramType(i)) ? v : v >>> 0
      }
      case 2: {
        const v = (b[o] as number) | ((b[o + 1] as number) << 8)
        return isSignedType(this.paramType(i)) ? (v << 16) >> 16 : v
      }
      case 1: {
        const v = b[o] as number
        return isSignedType(this.paramType(i)) ? (v << 24) >> 24 : v
      }
      default:
        return undefined
    }
  }

  /** Exact decimal string of an unsigned 8-byte parameter. */
  u64String(i: number): string | undefined {
    if (i < 0 || i >= this.nparams || this.pLen[i] !== 8) return undefined
    return this.buf.readBigUInt64LE(this.pOff[i] ?? 0).toString()
  }

  /** String parameter without its trailing NUL (and anything after the first NUL), decoded as UTF-8. */
  str(i: number): string | undefined {
    if (i < 0 || i >= this.nparams) return undefined
    const o = this.pOff[i] ?? 0
    const n = this.pLen[i] ?? 0
    let end = o
    const stop = o + n
    while (end < stop && this.buf[end] !== 0) end++
    return this.buf.toString('utf8', o, end)
  }

  /** Raw bytes of parameter i (a view into buf: copy it to keep it). */
  bytes(i: number): Buffer | undefined {
    if (i < 0 || i >= this.nparams) return undefined
    const o = this.pOff[i] ?? 0
    return this.buf.subarray(o, o + (this.pLen[i] ?? 0))
  }

  /** A self-contained copy that stays valid after the callback returns. */
  clone(): ScapEvent {
    const c = new ScapEvent()
    c.buf = Buffer.from(this.buf.subarray(this.off, this.off + this.len))
    c.off = 0
    c.len = this.len
    c.type = this.type
    c.tid = this.tid
    c.tsHi = this.tsHi
    c.tsLo = this.tsLo
    c.cpu = this.cpu
    c.dumpFlags = this.dumpFlags
    c.nparams = this.nparams
    c.num = this.num
    c.fileOffset = this.fileOffset
    c.info = this.info
    c.layout = this.layout
    const shift = this.off
    for (let i = 0; i < this.nparams; i++) {
      c.pOff[i] = (this.pOff[i] ?? 0) - shift
      c.pLen[i] = this.pLen[i] ?? 0
    }
    return c
  }
}

/** Little-endian signed 32-bit value at o. */
function i32At(b: Buffer, o: number): number {
  return (
    (b[o] as number) |
    ((b[o + 1] as number) << 8) |
    ((b[o + 2] as number) << 16) |
    ((b[o + 3] as number) << 24)
  )
}

function isSignedType(t: number): boolean {
  return (
    t === PT.INT8 ||
    t === PT.INT16 ||
    t === PT.INT32 ||
    t === PT.INT64 ||
    t === PT.ERRNO ||
    t === PT.FD ||
    t === PT.PID ||
    t === PT.FD32 ||
    t === PT.PID32
  )
}

export { MAX_PARAMS }
