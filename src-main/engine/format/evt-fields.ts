/**
 * Event-level fields of sysdig 0.29.3 that depend only on the event (plus, where noted, the fd type the state
 * engine resolved): evt.res, evt.rawres, evt.failed, evt.is_io*, evt.io_dir, evt.is_wait, evt.category,
 * evt.buffer, evt.rawarg.NAME. Each returns the text sysdig prints, or undefined where sysdig prints <NA>.
 * Booleans print as `true`/`false`.
 */
import type { ScapEvent } from '../capture/scap-event'
import { PT } from '../capture/schema/event-table.generated'
import { bytebufText } from './buffer-text'
import { decodeUtf8Escaped } from './byte-text'
import { int64Dec, uint64Dec } from './c-format'
import { argIndex, argType } from './evt-info'
import {
  EVENT_CATEGORY_0293,
  EVENT_FLAGS_0293,
  EVENT_NAMES_0293,
  SYSCALL_CATEGORY_0293
} from './flag-tables.generated'
import { errnoName } from './param-render'
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from './render-context'

const EF_CREATES_FD = 1
const EF_READS_FROM_FD = 8
const EF_WRITES_TO_FD = 16
const EF_WAITS = 128

const EC_IO_BASE = 32

/** EF_* flags of the event in 0.29.3's table (HEAD's for codes 0.29.3 does not know). */
export function eventFlags0293(ev: ScapEvent): number {
  return EVENT_FLAGS_0293[ev.type] ?? ev.info.flags
}

function isExit(ev: ScapEvent): boolean {
  return (ev.type & 1) === 1
}

/**
 * Whether the event can be the capture's "first event" that evt.reltime counts from: sysdig takes the first
 * event with a non-zero timestamp that is not a container metadata event (those carry the time the container
 * was seen, which can be earlier or later than the capture, or zero). Hidden events (procinfo…) do count.
 */
export function countsForFirstTs(ev: ScapEvent): boolean {
  if (ev.tsHi === 0 && ev.tsLo === 0) return false
  return EVENT_NAMES_0293[ev.type] !== 'container'
}

/** The param evt.res/rawres/failed look at: `res`, or `fd` on the exit of an fd-creating event. */
function resIndex(ev: ScapEvent): number {
  const r = argIndex(ev, 'res')
  if (r >= 0) return r
  if ((eventFlags0293(ev) & EF_CREATES_FD) !== 0 && isExit(ev)) return argIndex(ev, 'fd')
  return -1
}

/** Signed value of an integer param as a double (exact below 2^53), or undefined when empty. */
function paramI64(ev: ScapEvent, i: number): number | undefined {
  const len = ev.pLen[i] ?? 0
  const off = ev.pOff[i] ?? 0
  const b = ev.buf
  if (len >= 8) return b.readInt32LE(off + 4) * 4294967296 + b.readUInt32LE(off)
  if (len >= 4) return b.readInt32LE(off)
  if (len >= 2) return b.readInt16LE(off)
  if (len === 1) return b.readInt8(off)
  return undefined
}

/** evt.res: `SUCCESS` for res ≥ 0, else the errno name (or the number when it has none). */
export function evtRes(ev: ScapEvent): string | undefined {
  const i = resIndex(ev)
  if (i < 0) return undefined
  const v = paramI64(ev, i)
  if (v === undefined) return undefined
  if (v >= 0) return 'SUCCESS'
  const n = errnoName(v)
  return n !== '' ? n : String(v)
}

/** evt.rawres: the result as a signed 64-bit number. */
export function evtRawRes(ev: ScapEvent): string | undefined {
  const i = resIndex(ev)
  if (i < 0) return undefined
  const len = ev.pLen[i] ?? 0
  const off = ev.pOff[i] ?? 0
  if (len >= 8) return int64Dec(ev.buf.readUInt32LE(off), ev.buf.readInt32LE(off + 4))
  const v = paramI64(ev, i)
  return v === undefined ? undefined : String(v)
}

/** evt.failed: `true` when the result is negative. */
export function evtFailed(ev: ScapEvent): string {
  const i = resIndex(ev)
  if (i < 0) return 'false'
  const v = paramI64(ev, i)
  return v !== undefined && v < 0 ? 'true' : 'false'
}

export function evtIsIo(ev: ScapEvent): string {
  return (eventFlags0293(ev) & (EF_READS_FROM_FD | EF_WRITES_TO_FD)) !== 0 ? 'true' : 'false'
}

export function evtIsIoRead(ev: ScapEvent): string {
  return (eventFlags0293(ev) & EF_READS_FROM_FD) !== 0 ? 'true' : 'false'
}

export function evtIsIoWrite(ev: ScapEvent): string {
  return (eventFlags0293(ev) & EF_WRITES_TO_FD) !== 0 ? 'true' : 'false'
}

/** evt.io_dir: `write`, `read`, or undefined for events that do neither. */
export function evtIoDir(ev: ScapEvent): string | undefined {
  const f = eventFlags0293(ev)
  if ((f & EF_WRITES_TO_FD) !== 0) return 'write'
  if ((f & EF_READS_FROM_FD) !== 0) return 'read'
  return undefined
}

export function evtIsWait(ev: ScapEvent): string {
  return (eventFlags0293(ev) & EF_WAITS) !== 0 ? 'true' : 'false'
}

/** ppm_event_category of the event (generic events: the syscall's category). */
export function eventCategory0293(ev: ScapEvent): number {
  if (ev.type <= 1 && ev.nparams > 0 && ev.pLen[0] === 2) {
    return SYSCALL_CATEGORY_0293[ev.buf.readUInt16LE(ev.pOff[0] ?? 0)] ?? 0
  }
  return EVENT_CATEGORY_0293[ev.type] ?? 0
}

const CATEGORY_TEXT: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'other',
  2: 'file',
  3: 'net',
  4: 'IPC',
  5: 'memory',
  6: 'process',
  7: 'sleep',
  8: 'system',
  9: 'signal',
  10: 'user',
  11: 'time',
  12: 'processing',
  64: 'wait',
  128: 'scheduler',
  256: 'internal'
}

/** I/O subcategory by scap fd type: file, net, ipc or unknown (sinsp get_category). */
function ioSubcategory(fdType: number | undefined): string {
  switch (fdType) {
    case 1:
    case 16:
    case 2:
      return 'file'
    case 3:
    case 4:
    case 5:
    case 6:
      return 'net'
    case 7:
    case 8:
    case 9:
    case 11:
    case 13:
    case 18:
      return 'ipc'
    default:
      return 'unknown'
  }
}

/**
 * evt.category. I/O events take their subcategory from the event's fd (sinsp m_fdinfo), whose scap type the
 * caller passes (undefined when sinsp has no fd for the event: then `unknown`).
 */
export function evtCategory(ev: ScapEvent, fdType: number | undefined): string {
  const c = eventCategory0293(ev)
  if ((c & EC_IO_BASE) !== 0) return ioSubcategory(fdType)
  return CATEGORY_TEXT[c] ?? 'unknown'
}

/** evt.buffer: the `data` parameter as evt.arg.data shows it. */
export function evtBuffer(ev: ScapEvent, opts: RenderOptions = DEFAULT_RENDER_OPTIONS): string | undefined {
  const i = argIndex(ev, 'data')
  if (i < 0) return undefined
  return bytebufText(ev.buf, ev.pOff[i] ?? 0, ev.pLen[i] ?? 0, opts.bufferFormat, opts.maxBufLen)
}

/**
 * evt.rawarg.NAME: the value without resolution, typed by the param: numbers in decimal (signed for signed
 * types, FD, PID and ERRNO), strings and buffers as their raw text (up to the first NUL for strings).
 * Note: sysdig types the field by the first event that has a param of that name and aborts ("wrong event
 * type N") on an event whose param has another type; the field registry decides how to treat that.
 */
export function evtRawArg(ev: ScapEvent, name: string): string | undefined {
  const i = argIndex(ev, name)
  if (i < 0) return undefined
  const t = argType(ev, i)
  const b = ev.buf
  const off = ev.pOff[i] ?? 0
  const len = ev.pLen[i] ?? 0
  switch (t) {
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH: {
      let e = off
      while (e < off + len && b[e] !== 0) e++
      return decodeUtf8Escaped(b, off, e)
    }
    case PT.BYTEBUF:
      return decodeUtf8Escaped(b, off, off + len)
    case PT.UINT8:
    case PT.UINT16:
    case PT.UINT32:
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.MODE:
    case PT.SIGTYPE:
    case PT.SYSCALLID:
    case PT.PORT:
      if (len === 4) return String(b.readUInt32LE(off))
      if (len === 2) return String(b.readUInt16LE(off))
      if (len === 1) return String(b.readUInt8(off))
      return undefined
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return len >= 8 ? uint64Dec(b.readUInt32LE(off), b.readUInt32LE(off + 4)) : undefined
    default: {
      if (len >= 8) return int64Dec(b.readUInt32LE(off), b.readInt32LE(off + 4))
      const v = paramI64(ev, i)
      return v === undefined ? undefined : String(v)
    }
  }
}

/**
 * evt.buflen and its .in/.out/.file/.net variants: the exit's result (≥ 0) of an I/O event that has an fd in
 * sinsp (m_fdinfo). `fdType` is that fd's scap type, undefined when sinsp has none.
 */
export function evtBuflen(
  ev: ScapEvent,
  fdType: number | undefined,
  variant: '' | 'in' | 'out' | 'file' | 'file.in' | 'file.out' | 'net' | 'net.in' | 'net.out' = ''
): string | undefined {
  if (fdType === undefined || !isExit(ev)) return undefined
  const c = eventCategory0293(ev)
  if ((c & EC_IO_BASE) === 0) return undefined
  const dir = variant.endsWith('in') ? 32 : variant.endsWith('out') ? 33 : -1
  if (dir !== -1 && c !== dir) return undefined
  if (variant.startsWith('file') && fdType !== 1 && fdType !== 16) return undefined
  if (variant.startsWith('net') && (fdType < 3 || fdType > 6)) return undefined
  if (ev.nparams < 1 || (ev.pLen[0] ?? 0) < 8) return undefined
  const res = paramI64(ev, 0)
  if (res === undefined || res < 0) return undefined
  return int64Dec(ev.buf.readUInt32LE(ev.pOff[0] ?? 0), ev.buf.readInt32LE((ev.pOff[0] ?? 0) + 4))
}
