/**
 * The few printf conversions libsinsp uses to render event parameters, reproduced exactly: signed/unsigned
 * decimal of 8/16/32/64-bit values, `%X`, `%#o`, `%09d` and `%g`. 64-bit values arrive as two u32 halves
 * (lo, hi) so the common cases need no bigint.
 */
import { PF } from './flag-tables.generated'

const TWO32 = 4294967296

/** Decimal of the signed 64-bit value hi:lo (hi as read by readInt32LE, lo by readUInt32LE). */
export function int64Dec(lo: number, hi: number): string {
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * TWO32 + lo)
  return ((BigInt(hi) << 32n) + BigInt(lo)).toString()
}

/** Decimal of the unsigned 64-bit value hi:lo (both as u32). */
export function uint64Dec(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo)
  return ((BigInt(hi) << 32n) + BigInt(lo)).toString()
}

/** `%X` of the 64-bit pattern hi:lo (both read as u32). */
export function hex64(lo: number, hi: number): string {
  if (hi === 0) return lo.toString(16).toUpperCase()
  return hi.toString(16).toUpperCase() + lo.toString(16).toUpperCase().padStart(8, '0')
}

/** `%#o` of the unsigned 64-bit pattern hi:lo: "0" for zero, else a leading 0. */
export function octal64(lo: number, hi: number): string {
  if (hi === 0) return lo === 0 ? '0' : '0' + lo.toString(8)
  return '0' + ((BigInt(hi) << 32n) + BigInt(lo)).toString(8)
}

/** `%09d`-style zero padding to width 9 (the sign counts in the width, as in C). */
export function padded9(dec: string): string {
  if (dec.startsWith('-')) return '-' + dec.slice(1).padStart(8, '0')
  return dec.padStart(9, '0')
}

/**
 * Renders an integer parameter as libsinsp's SET_NUMERIC_FORMAT does: the value is read with the width and
 * signedness of its PT type, then printed with the parameter's print format. Quirks kept on purpose: the
 * "decimal" conversions are the signed ones (`PRId32` for a UINT32, `PRId64` for a UINT64), and `%X`/`%#o`
 * of a narrow signed value print its 32-bit two's complement (C integer promotion).
 *
 * @param b buffer, @param off value offset, @param size 1/2/4/8, @param signed PT type is signed
 */
export function formatInteger(b: Buffer, off: number, size: number, signed: boolean, fmt: number): string {
  if (size === 8) {
    const lo = b.readUInt32LE(off)
    if (fmt === PF.HEX) return hex64(lo, b.readUInt32LE(off + 4))
    if (fmt === PF.OCT) return octal64(lo, b.readUInt32LE(off + 4))
    const dec = int64Dec(lo, b.readInt32LE(off + 4))
    return fmt === PF.PADDED_DEC ? padded9(dec) : dec
  }
  if (size === 4) return formatU32(b.readUInt32LE(off), fmt)
  let v: number
  if (size === 2) v = signed ? b.readInt16LE(off) : b.readUInt16LE(off)
  else if (size === 1) v = signed ? b.readInt8(off) : b.readUInt8(off)
  else return ''
  if (fmt === PF.HEX) return (v >>> 0).toString(16).toUpperCase()
  if (fmt === PF.OCT) return v === 0 ? '0' : '0' + (v >>> 0).toString(8)
  const dec = String(v)
  return fmt === PF.PADDED_DEC ? padded9(dec) : dec
}

/** A 32-bit value (given as u32 or i32) with a print format; decimal is PRId32, i.e. signed. */
export function formatU32(v: number, fmt: number): string {
  if (fmt === PF.HEX) return (v >>> 0).toString(16).toUpperCase()
  if (fmt === PF.OCT) return v === 0 ? '0' : '0' + (v >>> 0).toString(8)
  const dec = String(v | 0)
  return fmt === PF.PADDED_DEC ? padded9(dec) : dec
}

/**
 * C's `%g` (precision 6): the shorter of %e and %f by the C rule (exponent < -4 or ≥ precision → %e), trailing
 * zeros removed, exponent with at least two digits.
 */
export function cFormatG(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
  const P = 6
  // Exponent after rounding to P significant digits.
  const e = Number(x.toExponential(P - 1).split('e')[1])
  if (e < -4 || e >= P) {
    const [mant = '', exp = '0'] = x.toExponential(P - 1).split('e')
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant
    const en = Number(exp)
    const ea = Math.abs(en)
    return m + 'e' + (en < 0 ? '-' : '+') + (ea < 10 ? '0' + String(ea) : String(ea))
  }
  const f = x.toFixed(Math.max(0, P - 1 - e))
  return f.includes('.') ? f.replace(/0+$/, '').replace(/\.$/, '') : f
}
