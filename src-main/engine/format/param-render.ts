/**
 * One event parameter as sysdig 0.29.3 shows it: a value and an optional "resolved" text that evt.info puts in
 * parentheses (`fd=3(<f>/etc/passwd)`, `res=-2(ENOENT)`, `flags=4097(O_RDONLY|O_CLOEXEC)`).
 *
 * The parameter's name, type, print format and name table come from 0.29.3's own event table
 * (PARAM_RENDER_0293, extracted from the library), so the rendering matches the oracle even where the current
 * libs renamed or retyped a parameter. Parameters beyond that table (newer writers) fall back to the current
 * layout with a default format.
 */
import type { ScapEvent } from '../capture/scap-event'
import { PT } from '../capture/schema/event-table.generated'
import { bytebufText } from './buffer-text'
import { decodeUtf8Escaped } from './byte-text'
import { cFormatG, formatInteger, formatU32, uint64Dec, int64Dec } from './c-format'
import {
  DYN_TABLES,
  ERRNO_NAMES,
  NAME_TABLES,
  PARAM_RENDER_0293,
  PF,
  SIGNAL_NAMES,
  SYSCALL_NAMES_0293,
  type NameTable
} from './flag-tables.generated'
import { socktupleText, sockaddrText } from './net-text'
import { concatenatePaths, sanitizeText, sanitizedCString } from './path-text'
import { fdTypeChar, l4ProtoChar, type RenderContext, type RenderOptions } from './render-context'
import { absTimeText } from './time-text'

/** [name, PT type, print format, info (table name or dirfd index)] */
export type ParamSpec = readonly [string, number, number, (string | number)?]

export interface ParamText {
  value: string
  /** '' when sysdig shows no parenthesised form. */
  resolved: string
}

const AT_FDCWD = -100
const PPM_SC_MAX_0293 = 329

/** Rendering spec of parameter i of the event (0.29.3 table first, then the event's own layout). */
export function paramSpec(ev: ScapEvent, i: number): ParamSpec {
  const row = PARAM_RENDER_0293[ev.type]
  const spec = row?.[i]
  if (spec !== undefined) return spec
  const p = ev.layout[i]
  if (p === undefined) return ['', PT.NONE, PF.NA]
  const t = p[1]
  const numeric = t >= PT.INT8 && t <= PT.UINT64
  return p[2] !== undefined ? [p[0], t, PF.NA, p[2]] : [p[0], t, numeric ? PF.DEC : PF.NA]
}

/**
 * Number of parameters sysdig 0.29.3 shows for the event: the event's own count, capped by 0.29.3's layout
 * for the codes it knows (newer writers append parameters it does not read).
 */
export function visibleParams(ev: ScapEvent): number {
  const row = PARAM_RENDER_0293[ev.type]
  return row !== undefined && row.length < ev.nparams ? row.length : ev.nparams
}

/** errno name of a negative result, as sinsp resolves it (cast to int32 first), or ''. */
export function errnoName(v: number): string {
  const e = -(v | 0)
  return ERRNO_NAMES[e] ?? ''
}

/**
 * Names of the bits/values of `value` by sinsp's flag walk: a table entry matches when all its bits are set
 * (entries of value 0 only for 0), and its bits are then cleared; the walk stops at an entry equal to the
 * whole value, which is appended last. Enum tables go through the same walk in 0.29.3 (hence e.g.
 * `domain=999(AF_NFC)`).
 */
export function flagNames(table: NameTable, initial: number): string {
  let val = initial >>> 0
  const init = val
  let out = ''
  let i = 0
  for (; i < table.length; i++) {
    const ent = table[i]
    if (ent === undefined) break
    const v = ent[1] >>> 0
    if (v === init) break
    if ((v === 0 && init === 0) || (v !== 0 && (val & v) >>> 0 === v && val !== 0)) {
      out += out === '' ? ent[0] : '|' + ent[0]
      val = (val & ~v) >>> 0
    }
  }
  const last = table[i]
  if (last !== undefined) out += out === '' ? last[0] : '|' + last[0]
  return out
}

/** Exact-match enum name (ENUMFLAGS of newer layouts), or ''. */
function enumName(table: NameTable | undefined, v: number): string {
  if (table === undefined) return ''
  for (const [n, x] of table) if (x >>> 0 === v >>> 0) return n
  return ''
}

function typeWidth(t: number): number {
  switch (t) {
    case PT.INT8:
    case PT.UINT8:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
    case PT.SIGTYPE:
      return 1
    case PT.INT16:
    case PT.UINT16:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
    case PT.SYSCALLID:
      return 2
    case PT.INT32:
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.MODE:
    case PT.SIGSET:
    case PT.FD32:
    case PT.PID32:
      return 4
    default:
      return 8
  }
}

/** Little-endian unsigned read of up to 4 bytes, tolerant of a short value. */
function readU(b: Buffer, off: number, len: number, width: number): number {
  const n = Math.min(len, width)
  if (n >= 4) return b.readUInt32LE(off)
  if (n === 2 || n === 3) return b.readUInt16LE(off)
  if (n === 1) return b.readUInt8(off)
  return 0
}

/** Signed 64-bit value of an 8-byte (or shorter, sign-extended) param as a double (fds, pids, errnos). */
function readI64(b: Buffer, off: number, len: number): number {
  if (len >= 8) return b.readInt32LE(off + 4) * 4294967296 + b.readUInt32LE(off)
  if (len >= 4) return b.readInt32LE(off)
  if (len >= 2) return b.readInt16LE(off)
  if (len === 1) return b.readInt8(off)
  return 0
}

function i64Text(b: Buffer, off: number, len: number): string {
  if (len >= 8) return int64Dec(b.readUInt32LE(off), b.readInt32LE(off + 4))
  return String(readI64(b, off, len))
}

function renderFd(fd: number, value: string, ctx: RenderContext, out: ParamText): void {
  out.value = value
  out.resolved = ''
  if (!ctx.hasThread) return
  if (fd >= 0) {
    const f = ctx.fd(fd)
    if (f !== undefined)
      out.resolved = '<' + fdTypeChar(f.type) + l4ProtoChar(f.type, f.l4proto) + '>' + sanitizeText(f.name)
  } else if (fd === AT_FDCWD) {
    out.resolved = 'AT_FDCWD'
  } else {
    out.resolved = errnoName(fd)
  }
}

/** Base directory for a relative path parameter (sinsp get_base_dir). */
function baseDir(ev: ScapEvent, spec: ParamSpec, ctx: RenderContext): string {
  const cwd = ctx.cwd()
  if (spec[1] !== PT.FSRELPATH || typeof spec[3] !== 'number') return cwd
  const di = spec[3]
  if (di >= ev.nparams) return cwd
  const dspec = paramSpec(ev, di)
  if (dspec[1] !== PT.FD) return cwd
  const dlen = ev.pLen[di] ?? 0
  const dirfd = readI64(ev.buf, ev.pOff[di] ?? 0, dlen)
  if (dirfd === AT_FDCWD) return cwd
  const name = ctx.fd(dirfd)?.name ?? ''
  if (name === '') return ''
  return sanitizeText(name) + '/'
}

function sigsetText(v: number): string {
  let out = ''
  for (let sig = 0; sig < 32; sig++) {
    if ((v >>> sig) & 1) {
      const n = SIGNAL_NAMES[sig + 1]
      if (n !== undefined) out += out === '' ? n : ' ' + n
    }
  }
  return out
}

function fdlistText(b: Buffer, off: number, len: number, ctx: RenderContext): string {
  if (!ctx.hasThread || len < 2) return ''
  const n = b.readUInt16LE(off)
  let out = ''
  let pos = off + 2
  for (let j = 0; j < n && pos + 10 <= off + len; j++) {
    const lo = b.readUInt32LE(pos)
    const hi = b.readUInt32LE(pos + 4)
    const fd = b.readInt32LE(pos + 4) * 4294967296 + lo
    const f = ctx.fd(fd)
    const tch = f !== undefined ? fdTypeChar(f.type) : '?'
    const flags = (b.readInt16LE(pos + 8) >>> 0).toString(16)
    out += (j === 0 ? '' : ' ') + uint64Dec(lo, hi) + ':' + tch + flags
    pos += 10
  }
  return out
}

/**
 * Renders parameter i. `out` is filled in and returned (pass a reused object in hot loops).
 */
export function renderParam(
  ev: ScapEvent,
  i: number,
  ctx: RenderContext,
  opts: RenderOptions,
  out: ParamText = { value: '', resolved: '' }
): ParamText {
  out.value = ''
  out.resolved = ''
  if (i < 0 || i >= ev.nparams) return out
  const spec = paramSpec(ev, i)
  const b = ev.buf
  let off = ev.pOff[i] ?? 0
  let len = ev.pLen[i] ?? 0
  if (len === 0) {
    // 0.29.3 has no general empty-parameter case: buffers print as nothing, tuples/addresses as NULL, and
    // other types read past the value (garbage we cannot reproduce; we print nothing).
    if (spec[1] === PT.SOCKTUPLE || spec[1] === PT.SOCKADDR) out.value = 'NULL'
    return out
  }
  let type = spec[1]
  const fmt = spec[2]
  if (type === PT.DYN && typeof spec[3] === 'string') {
    const variants = DYN_TABLES[spec[3]]
    const idx = b[off] ?? 0
    const variant = variants?.[idx]
    if (variant !== undefined) {
      type = variant[0]
      off += 1
      len -= 1
    }
  }
  switch (type) {
    case PT.INT8:
    case PT.INT16:
    case PT.INT32:
    case PT.INT64:
    case PT.UINT8:
    case PT.UINT16:
    case PT.UINT32:
    case PT.UINT64: {
      const w = Math.min(typeWidth(type), len)
      if (w === 8 || w === 4 || w === 2 || w === 1) {
        out.value = formatInteger(b, off, w, type <= PT.INT64, fmt)
      }
      break
    }
    case PT.FD:
    case PT.FD32:
      renderFd(readI64(b, off, len), i64Text(b, off, len), ctx, out)
      break
    case PT.PID:
    case PT.PID32: {
      const pid = readI64(b, off, len)
      out.value = i64Text(b, off, len)
      out.resolved = ctx.comm(pid) ?? ''
      break
    }
    case PT.ERRNO: {
      const v = readI64(b, off, len)
      out.value = i64Text(b, off, len)
      if (v < 0) out.resolved = errnoName(v)
      break
    }
    // Strings are C strings: one without its NUL runs on into the next bytes of the event, as in sysdig.
    case PT.CHARBUF: {
      let e = off
      const end = Math.min(ev.off + ev.len, b.length)
      while (e < end && b[e] !== 0) e++
      out.value = decodeUtf8Escaped(b, off, e)
      break
    }
    case PT.FSPATH:
    case PT.FSRELPATH: {
      const evEnd = Math.min(ev.off + ev.len, b.length)
      out.value = sanitizedCString(b, off, len, evEnd)
      if (ctx.hasThread) {
        const raw = b.subarray(off, Math.max(off + len, evEnd))
        if (!(len >= 5 && raw.toString('latin1', 0, 5) === '<NA>\0')) {
          const r = concatenatePaths(baseDir(ev, spec, ctx), raw)
          if (r.relative) out.resolved = r.text
        }
      }
      break
    }
    case PT.BYTEBUF:
      out.value = bytebufText(b, off, len, opts.bufferFormat, opts.maxBufLen)
      break
    case PT.SOCKADDR:
      out.value = sockaddrText(b, off, len)
      break
    case PT.SOCKTUPLE:
      out.value = socktupleText(b, off, len)
      break
    case PT.FDLIST:
      out.value = fdlistText(b, off, len, ctx)
      break
    case PT.SYSCALLID: {
      const id = readU(b, off, len, 2)
      if (id >= PPM_SC_MAX_0293) out.value = '<unknown syscall>'
      else {
        out.value = String(id)
        out.resolved = SYSCALL_NAMES_0293[id] ?? ''
      }
      break
    }
    case PT.SIGTYPE: {
      const s = readU(b, off, len, 1)
      out.value = String(s)
      out.resolved = SIGNAL_NAMES[s] ?? ''
      break
    }
    case PT.RELTIME: {
      if (len < 8) break
      const lo = b.readUInt32LE(off)
      const hi = b.readUInt32LE(off + 4)
      if (lo === 0xffffffff && hi === 0xffffffff) out.value = 'none'
      else {
        out.value = uint64Dec(lo, hi)
        out.resolved = cFormatG((hi * 4294967296 + lo) / 1e9) + 's'
      }
      break
    }
    case PT.ABSTIME:
      if (len >= 8) out.value = absTimeText(b.readUInt32LE(off + 4), b.readUInt32LE(off))
      break
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.MODE: {
      const v = readU(b, off, len, typeWidth(type))
      out.value = type === PT.MODE ? formatU32(v, fmt) : String(v)
      const table = typeof spec[3] === 'string' ? NAME_TABLES[spec[3]] : undefined
      if (table !== undefined) out.resolved = flagNames(table, v)
      break
    }
    case PT.ENUMFLAGS8:
    case PT.ENUMFLAGS16:
    case PT.ENUMFLAGS32: {
      const v = readU(b, off, len, typeWidth(type))
      out.value = String(v)
      out.resolved = enumName(typeof spec[3] === 'string' ? NAME_TABLES[spec[3]] : undefined, v)
      break
    }
    case PT.UID:
    case PT.GID: {
      const v = readU(b, off, len, 4)
      if (v === 0xffffffff) {
        out.value = '-1'
        out.resolved = '<NONE>'
      } else {
        out.value = String(v | 0)
        const name = ctx.hasThread ? (type === PT.UID ? ctx.userName(v) : ctx.groupName(v)) : undefined
        out.resolved = name !== undefined ? sanitizeText(name) : '<NA>'
      }
      break
    }
    case PT.SIGSET:
      out.value = sigsetText(readU(b, off, len, 4))
      break
    case PT.DYN:
      out.value = 'INVALID DYNAMIC PARAMETER'
      break
    default:
      out.value = '(n.a.)'
      break
  }
  return out
}
