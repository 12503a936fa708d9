/** Report instants: u64 ns since the epoch (decimal string) ↔ UTC ISO 8601 text with all nine digits. */
import type { Instant } from './report-types'

const NS_PER_SEC = 1_000_000_000n

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0')
}

/** "2026-11-28T06:51:38.179000123Z" for a decimal ns string ("" for text that is not a number). */
export function utcText(ns: string): string {
  if (!/^\d{1,20}$/.test(ns)) return ''
  const v = BigInt(ns)
  const sec = Number(v / NS_PER_SEC)
  const nsec = Number(v % NS_PER_SEC)
  const d = new Date(sec * 1000)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(nsec, 9)}Z`
  )
}

export function instant(ns: string): Instant {
  return { ts: ns, utc: utcText(ns) }
}

export function instantOrNull(ns: string | null): Instant | null {
  return ns === null ? null : instant(ns)
}

/** Difference b - a of two decimal ns strings, decimal. */
export function nsBetween(a: string, b: string): string {
  return (BigInt(b) - BigInt(a)).toString()
}

/** Compare decimal ns strings numerically. */
export function cmpNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}
