/**
 * Nanosecond timestamps without bigint in hot loops: a u64 ns value is kept as two u32 halves (hi, lo)
 * exactly as read from the capture. Arithmetic that needs the full value happens only when rendering,
 * where bigint is fine.
 */
export interface NsTime {
  readonly hi: number
  readonly lo: number
}

const TWO32 = 4294967296

/** -1, 0 or 1. */
export function compareNs(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1
  if (aLo !== bLo) return aLo < bLo ? -1 : 1
  return 0
}

/** The exact value as a bigint (rendering and SQL only). */
export function nsToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo)
}

/** Decimal string of the u64 ns value. */
export function nsToString(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo) // below 2^53: exact as a double
  return nsToBigInt(hi, lo).toString()
}

/** Splits a bigint into halves. */
export function nsFromBigInt(v: bigint): NsTime {
  return { hi: Number((v >> 32n) & 0xffffffffn), lo: Number(v & 0xffffffffn) }
}

/**
 * Difference a − b in ns as a double. Exact while |a − b| < 2^53 ns (104 days), which holds for any two
 * events of one capture.
 */
export function nsDiff(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return (aHi - bHi) * TWO32 + (aLo - bLo)
}

/** Seconds since the epoch and the nanosecond remainder, exact. */
export function nsSplit(hi: number, lo: number): { sec: number; nsec: number } {
  const v = nsToBigInt(hi, lo)
  return { sec: Number(v / 1000000000n), nsec: Number(v % 1000000000n) }
}
