/**
 * Socket address text as libsinsp 2022 renders SOCKADDR and SOCKTUPLE parameters (name resolution off, as in
 * `sysdig -r`): `a.b.c.d:port`, `v6:port` (glibc inet_ntop), `sip:sport->dip:dport`, unix tuples as
 * `srcptr->dstptr path` in lower-case hex, `family N` for other families, `INVALID IPv4/IPv6` for bad lengths.
 */
import { sanitizeText } from './path-text'
import { ipv4Text as ipv4At, ipv6Text as ipv6At } from '../capture/ip-text'

export const AF_UNIX = 1
export const AF_INET = 2
export const AF_INET6 = 10

export { ipv4At, ipv6At }

/** sinsp is_ipv4_mapped_ipv6: ::ffff:a.b.c.d, and also the all-zero address (taken as IPv4 0.0.0.0). */
function isV4Mapped(b: Uint8Array, off: number): boolean {
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true
  for (let i = 10; i < 16; i++) if (b[off + i] !== 0) return false
  return true
}

function u16le(b: Uint8Array, off: number): number {
  return (b[off] ?? 0) | ((b[off + 1] ?? 0) << 8)
}

function hexU64le(b: Uint8Array, off: number): string {
  const lo =
    ((b[off] ?? 0) | ((b[off + 1] ?? 0) << 8) | ((b[off + 2] ?? 0) << 16) | ((b[off + 3] ?? 0) << 24)) >>> 0
  const hi =
    ((b[off + 4] ?? 0) | ((b[off + 5] ?? 0) << 8) | ((b[off + 6] ?? 0) << 16) | ((b[off + 7] ?? 0) << 24)) >>>
    0
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0')
}

/** C string at off (up to NUL or end), decoded as UTF-8. */
function cstr(b: Uint8Array, off: number, end: number): string {
  let e = off
  while (e < end && b[e] !== 0) e++
  return Buffer.from(b.buffer, b.byteOffset + off, Math.max(0, e - off)).toString('utf8')
}

/** SOCKADDR parameter text (len ≥ 1). */
export function sockaddrText(b: Uint8Array, off: number, len: number): string {
  const fam = b[off] ?? 0
  if (fam === AF_UNIX) return sanitizeText(cstr(b, off + 1, off + len))
  if (fam === AF_INET) {
    if (len !== 7) return 'INVALID IPv4'
    return `${ipv4At(b, off + 1)}:${String(u16le(b, off + 5))}`
  }
  if (fam === AF_INET6) {
    if (len !== 19) return 'INVALID IPv6'
    return `${ipv6At(b, off + 1)}:${String(u16le(b, off + 17))}`
  }
  return `family ${String(fam < 128 ? fam : fam - 256)}`
}

/** SOCKTUPLE parameter text (len ≥ 1). */
export function socktupleText(b: Uint8Array, off: number, len: number): string {
  const fam = b[off] ?? 0
  if (fam === AF_INET) {
    if (len !== 13) return 'INVALID IPv4'
    return `${ipv4At(b, off + 1)}:${String(u16le(b, off + 5))}->${ipv4At(b, off + 7)}:${String(u16le(b, off + 11))}`
  }
  if (fam === AF_INET6) {
    if (len !== 37) return 'INVALID IPv6'
    const sport = String(u16le(b, off + 17))
    const dport = String(u16le(b, off + 35))
    if (isV4Mapped(b, off + 1) && isV4Mapped(b, off + 19)) {
      return `${ipv4At(b, off + 13)}:${sport}->${ipv4At(b, off + 31)}:${dport}`
    }
    return `${ipv6At(b, off + 1)}:${sport}->${ipv6At(b, off + 19)}:${dport}`
  }
  if (fam === AF_UNIX) {
    if (len < 17) return `${hexU64le(b, off + 1)}->${hexU64le(b, off + 9)} `
    return `${hexU64le(b, off + 1)}->${hexU64le(b, off + 9)} ${sanitizeText(cstr(b, off + 17, off + len))}`
  }
  return `family ${String(fam < 128 ? fam : fam - 256)}`
}
