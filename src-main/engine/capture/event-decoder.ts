import type { AnomalyCode } from './anomaly-codes'
import { MAX_PARAMS, type ScapEvent } from './scap-event'
import type { EventInfo, ParamInfo } from './schema/event-info'
import { EF, EVENT_TABLE } from './schema/event-table.generated'

const TWO32 = 4294967296
const NOTIFICATION_E = 280
const INFRASTRUCTURE_EVENT_E = 286

/** Per type: width of one parameter length (2, or 4 for LARGE_PAYLOAD types); 0 for codes the table lacks. */
const LEN_WIDTH = new Uint8Array(65536)
/** Per type: the most parameters any known layout has (V1 events start their inference there). */
const MAX_LAYOUT = new Uint8Array(65536)
/**
 * Per type: the current layout, sysdig 0.29.3's layout and its length (-1 when 0.29.3 does not know the
 * type). Plain per-type arrays because EVENT_TABLE's rows come in several object shapes (literals and
 * spread copies): reading `info.params0293` per event was a polymorphic property load in the hottest loop.
 */
const LAYOUT: (readonly ParamInfo[])[] = []
const LAYOUT_0293: (readonly ParamInfo[])[] = []
const LEN_0293 = new Int16Array(65536).fill(-1)
for (const info of EVENT_TABLE) {
  LEN_WIDTH[info.code] = (info.flags & EF.LARGE_PAYLOAD) !== 0 ? 4 : 2
  MAX_LAYOUT[info.code] = Math.max(info.params.length, info.params0293?.length ?? 0)
  LAYOUT[info.code] = info.params
  LAYOUT_0293[info.code] = info.params0293 ?? info.params
  if (info.params0293 !== null) LEN_0293[info.code] = info.params0293.length
}

/** True when sysdig 0.29.3's libs know this event type (callers have checked it is in the table). */
export function knownTo0293(type: number): boolean {
  return (LEN_0293[type] ?? -1) >= 0
}

/** Little-endian u32 at o; callers have checked o + 4 ≤ the buffer's valid range. */
function u32(b: Buffer, o: number): number {
  return (
    ((b[o] as number) |
      ((b[o + 1] as number) << 8) |
      ((b[o + 2] as number) << 16) |
      ((b[o + 3] as number) << 24)) >>>
    0
  )
}

/** Result of decoding one event block, besides success: why it was skipped. */
export type EventProblem =
  | 'unknown-event-type'
  | 'event-too-short'
  | 'event-len-exceeds-block'
  | 'event-params-overflow'
  | 'event-too-many-params'
  | 'v1-nparams-unresolved'

/**
 * Points the flyweight at the event in buf[bodyStart, bodyEnd) (the body of an event block, after the 8-byte
 * block header) and computes its parameter offsets. Returns null on success, else why the event is unusable.
 * Hot path: no allocation, plain byte reads.
 *
 * `quirk` receives 'v1-len-quirk' when an old NOTIFICATION/INFRASTRUCTURE event needed its length fixed.
 */
export function decodeEvent(
  ev: ScapEvent,
  buf: Buffer,
  bodyStart: number,
  bodyEnd: number,
  hasFlags: boolean,
  v1: boolean,
  quirk: { hit: AnomalyCode | null }
): EventProblem | null {
  const pre = hasFlags ? 6 : 2
  const o = bodyStart + pre
  const hdr = v1 ? 22 : 26
  const avail = bodyEnd - o
  if (avail < hdr) return 'event-too-short'
  ev.buf = buf
  ev.off = o
  // Header fields by byte arithmetic: Buffer's read methods add argument checks to every event.
  ev.cpu = (buf[bodyStart] as number) | ((buf[bodyStart + 1] as number) << 8)
  ev.dumpFlags = hasFlags ? u32(buf, bodyStart + 2) : 0
  ev.tsLo = u32(buf, o)
  ev.tsHi = u32(buf, o + 4)
  ev.tid = (u32(buf, o + 12) | 0) * TWO32 + u32(buf, o + 8)
  let len = u32(buf, o + 16)
  const type = (buf[o + 20] as number) | ((buf[o + 21] as number) << 8)
  ev.type = type
  const w = LEN_WIDTH[type] ?? 0
  if (w === 0) return 'unknown-event-type'
  ev.info = EVENT_TABLE[type] as EventInfo
  if (len < hdr) return 'event-too-short'
  const pOff = ev.pOff
  const pLen = ev.pLen
  let n: number
  if (v1) {
    const max = MAX_LAYOUT[type] ?? 0
    if (type === NOTIFICATION_E || type === INFRASTRUCTURE_EVENT_E) {
      const fixed = inferV1(buf, o, len - 3, avail, max, pLen)
      if (fixed >= 0) {
        quirk.hit = 'v1-len-quirk'
        len -= 3
        n = fixed
      } else n = inferV1(buf, o, len, avail, max, pLen)
    } else n = inferV1(buf, o, len, avail, max, pLen)
    if (len > avail) return 'event-len-exceeds-block'
    if (n < 0) return 'v1-nparams-unresolved'
    // inferV1 left the lengths in pLen and proved they add up to len exactly.
    let p = o + hdr + n * 2
    for (let i = 0; i < n; i++) {
      pOff[i] = p
      p += pLen[i] ?? 0
    }
  } else {
    if (len > avail) return 'event-len-exceeds-block'
    n = u32(buf, o + 22)
    if (n > MAX_PARAMS) return 'event-too-many-params'
    if (hdr + n * w > len) return 'event-params-overflow'
    let lp = o + hdr
    let p = lp + n * w
    if (w === 2) {
      for (let i = 0; i < n; i++, lp += 2) {
        const l = (buf[lp] as number) | ((buf[lp + 1] as number) << 8)
        pOff[i] = p
        pLen[i] = l
        p += l
      }
    } else {
      for (let i = 0; i < n; i++, lp += 4) {
        const l = buf.readUInt32LE(lp)
        pOff[i] = p
        pLen[i] = l
        p += l
      }
    }
    if (p > o + len) return 'event-params-overflow'
  }
  ev.len = len
  ev.nparams = n
  ev.layout =
    n <= (LEN_0293[type] ?? -1)
      ? (LAYOUT_0293[type] as readonly ParamInfo[])
      : (LAYOUT[type] as readonly ParamInfo[])
  return null
}

/**
 * V1 headers have no nparams: the largest n ≤ the table's count with 22 + 2·n + Σlen[0..n) == len (spec §3).
 * V1 files predate LARGE_PAYLOAD types, so their lengths are always u16 (libscap reads them so too).
 * Returns -1 when none matches. Lengths are read only inside the event's available bytes.
 */
function inferV1(buf: Buffer, o: number, len: number, avail: number, max: number, pLen: Int32Array): number {
  if (len > avail || len < 22) return -1
  if (max > MAX_PARAMS) max = MAX_PARAMS
  // hdr + w·n + Σ grows strictly with n, so at most one n matches: stop as soon as it passes len.
  let best = len === 22 ? 0 : -1
  let sum = 0
  for (let n = 1; n <= max; n++) {
    const lp = o + 22 + (n - 1) * 2
    if (22 + n * 2 > len) break
    const l = (buf[lp] as number) | ((buf[lp + 1] as number) << 8)
    pLen[n - 1] = l
    sum += l
    const t = 22 + n * 2 + sum
    if (t === len) best = n
    else if (t > len) break
  }
  return best
}
