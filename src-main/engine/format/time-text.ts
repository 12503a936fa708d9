/**
 * Event time texts as sysdig 0.29.3 prints them. Times are u64 ns since the epoch given as two u32 halves.
 *
 * sysdig's `evt.time`, `evt.outputtime` and `evt.datetime` shift by the local UTC offset of the moment sysdig
 * runs (libsinsp calls gmt2local(0), i.e. "now"), not by the offset in force at the event's date: an August
 * event read in New York in November shows EST. We do the same (offset taken once per process, from TZ), and
 * allow tests to pin it with `setLocalOffsetSeconds`. `evt.time.iso8601` is always UTC with `+0000`.
 */

const TWO32 = 4294967296
const NS = 1000000000

let localOffset: number | undefined

/** The local offset (seconds east of UTC) sysdig would use: the current one. */
export function localOffsetSeconds(): number {
  localOffset ??= -new Date().getTimezoneOffset() * 60
  return localOffset
}

/** Pins the local offset (tests); undefined re-reads it from the environment. */
export function setLocalOffsetSeconds(sec: number | undefined): void {
  localOffset = sec
  cacheSec = -1
}

// hi·2^32 = hi·4·1e9 + hi·294967296, and with hi = h1·2^16 + h0, h1·2^16·294967296 = h1·(K_DIV·1e9 + K_MOD):
// every partial product stays below 2^53, so the split is exact for any u64 without bigint.
const K = 65536 * 294967296
const K_DIV = Math.floor(K / NS)
const K_MOD = K % NS

/** Whole seconds and ns remainder of the u64 hi:lo, exact. */
export function splitNs(hi: number, lo: number): { sec: number; nsec: number } {
  const h1 = Math.floor(hi / 65536)
  const h0 = hi % 65536
  const rest = h1 * K_MOD + h0 * 294967296 + lo
  const q = Math.floor(rest / NS)
  return { sec: hi * 4 + h1 * K_DIV + q, nsec: rest - q * NS }
}

function p2(n: number): string {
  return n < 10 ? '0' + String(n) : String(n)
}

function p9(n: number): string {
  return String(n).padStart(9, '0')
}

function ymd(daySec: number): string {
  const d = new Date(daySec * 1000)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`
}

let cacheSec = -1
let cacheDate = ''
let cacheClock = ''

function fill(sec: number): void {
  if (sec === cacheSec) return
  const shifted = sec + localOffsetSeconds()
  const s = ((shifted % 86400) + 86400) % 86400
  cacheSec = sec
  cacheClock = `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`
  cacheDate = ymd(shifted - s)
}

/** evt.time / evt.outputtime (default -t h): `HH:MM:SS.nnnnnnnnn`, local time. */
export function timeText(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo)
  fill(sec)
  return cacheClock + '.' + p9(nsec)
}

/** evt.time.s: `HH:MM:SS`. */
export function timeSecText(hi: number, lo: number): string {
  fill(splitNs(hi, lo).sec)
  return cacheClock
}

/** evt.datetime: `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`. */
export function datetimeText(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo)
  fill(sec)
  return cacheDate + ' ' + cacheClock + '.' + p9(nsec)
}

/** evt.datetime.s: `YYYY-MM-DD HH:MM:SS`. */
export function datetimeSecText(hi: number, lo: number): string {
  fill(splitNs(hi, lo).sec)
  return cacheDate + ' ' + cacheClock
}

/** evt.time.iso8601: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` (UTC). */
export function iso8601Text(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo)
  const s = sec % 86400
  return `${ymd(sec - s)}T${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}.${p9(nsec)}+0000`
}

/** evt.rawtime: decimal ns. */
export function rawTimeText(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo)
  const { sec, nsec } = splitNs(hi, lo)
  return String(sec) + p9(nsec)
}

/** `-t a` output time: `sec.nsec` with nsec NOT zero-padded (sysdig prints to_string of the remainder). */
export function absOutputTimeText(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo)
  return String(sec) + '.' + String(nsec)
}

/** A non-negative ns duration as `S.nnnnnnnnn` (`-t r`, `-t d`, `-t D`). */
export function durationText(ns: number): string {
  const s = Math.floor(ns / NS)
  return String(s) + '.' + p9(ns - s * NS)
}

/**
 * ABSTIME parameter: libsinsp formats `%Y-%m-%d %H:%M:%S.XXXXXXXXX %z` in local time (the event date's
 * offset) and then overwrites from index 20 with a 9-byte snprintf, which keeps 8 of the 9 ns digits and
 * ends the string there.
 */
export function absTimeText(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo)
  const off = -new Date(sec * 1000).getTimezoneOffset() * 60
  const shifted = sec + off
  const s = ((shifted % 86400) + 86400) % 86400
  const clock = `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`
  return `${ymd(shifted - s)} ${clock}.${p9(nsec).slice(0, 8)}`
}

/** evt.rawtime.s: whole seconds since the epoch. */
export function rawTimeSecText(hi: number, lo: number): string {
  return String(splitNs(hi, lo).sec)
}

/** evt.rawtime.ns: the ns part, zero-padded to 9 digits (PF_10_PADDED_DEC). */
export function rawTimeNsText(hi: number, lo: number): string {
  return p9(splitNs(hi, lo).nsec)
}

/** ns from the capture's first event (exact while the capture spans < 104 days). */
export function relNs(hi: number, lo: number, firstHi: number, firstLo: number): number {
  return (hi - firstHi) * TWO32 + (lo - firstLo)
}

/** evt.reltime: ns since the capture's first event (see countsForFirstTs), zero-padded to 9 digits. */
export function relTimeText(hi: number, lo: number, firstHi: number, firstLo: number): string {
  const d = relNs(hi, lo, firstHi, firstLo)
  return d < 0 ? String(d) : p9(d)
}

/** evt.reltime.s */
export function relTimeSecText(hi: number, lo: number, firstHi: number, firstLo: number): string {
  return String(Math.floor(relNs(hi, lo, firstHi, firstLo) / NS))
}

/** evt.reltime.ns: zero-padded to 9 digits. */
export function relTimeNsText(hi: number, lo: number, firstHi: number, firstLo: number): string {
  const d = relNs(hi, lo, firstHi, firstLo)
  return p9(d - Math.floor(d / NS) * NS)
}

/** The `.ns` part of a duration (evt.latency.ns, evt.deltatime.ns): zero-padded to 9 digits. */
export function nsPartText(ns: number): string {
  return p9(ns - Math.floor(ns / NS) * NS)
}

/**
 * A duration as sysdig's "nice" time (evt.latency.human, csysdig columns): `415ns`, `4.80us`, `93us`,
 * `1.31ms`, `20ms`, `1.50s`, `2:5` (min:s), `01:02:03` (h:m:s) — integer truncation throughout.
 */
export function humanTimeText(ns: number): string {
  const v = Math.max(0, Math.floor(ns))
  const t = (x: number): string => String(Math.floor(x))
  const d2 = (x: number): string => t(x).padStart(2, '0')
  if (v >= 3600 * NS) return `${d2(v / (3600 * NS))}:${d2((v / (60 * NS)) % 60)}:${d2((v / NS) % 60)}`
  if (v >= 60 * NS) return `${t(v / (60 * NS))}:${t((v / NS) % 60)}`
  if (v >= NS) return `${t(v / NS)}.${d2((v % NS) / 10000000)}s`
  if (v >= 10000000) return `${t(v / 1000000)}ms`
  if (v >= 1000000) return `${t(v / 1000000)}.${d2((v % 1000000) / 10000)}ms`
  if (v >= 10000) return `${t(v / 1000)}us`
  if (v >= 1000) return `${t(v / 1000)}.${d2((v % 1000) / 10)}us`
  return `${String(v)}ns`
}
