/**
 * Address text as sinsp renders it (no name resolution: sysdig -r prints numbers). Shared by the state
 * engine (fd names) and the formatters.
 */
import { L4 } from './fd-info'
import { ipv4Text as ipv4At, ipv6Text as ipv6At } from '../capture/ip-text'

export const PPM_AF_UNIX = 1
export const PPM_AF_INET = 2
export const PPM_AF_INET6 = 10

export { ipv4At, ipv6At }

/** True for ::ffff:a.b.c.d. */
export function isIpv4Mapped(b: Buffer, off: number): boolean {
  // sinsp also takes the all-zero address for IPv4 (is_ipv4_mapped_ipv6).
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true
  for (let i = 10; i < 16; i++) if (b[off + i] !== 0) return false
  return true
}

function u64hex(b: Buffer, off: number): string {
  if (off + 8 > b.length) return '0'
  return b.readBigUInt64LE(off).toString(16)
}

/** Replaces non-printable bytes by '.', as sinsp's sanitize_string does. */
export function sanitize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f-\uffff]/.test(s) ? s.replace(/[\x00-\x1f\x7f-\uffff]/g, '.') : s
}

function cstrAt(b: Buffer, off: number): string {
  let end = off
  while (end < b.length && b[end] !== 0) end++
  return b.toString('latin1', off, end)
}

/**
 * A PT_SOCKTUPLE parameter as text (sinsp PF_SIMPLE): "1.2.3.4:80->5.6.7.8:9", IPv6 likewise, unix
 * "src->dst path", "NULL" when empty.
 */
export function socktupleText(b: Buffer): string {
  if (b.length === 0) return 'NULL'
  const fam = b[0]
  if (fam === PPM_AF_INET) {
    if (b.length !== 13) return 'INVALID IPv4'
    return `${ipv4At(b, 1)}:${b.readUInt16LE(5)}->${ipv4At(b, 7)}:${b.readUInt16LE(11)}`
  }
  if (fam === PPM_AF_INET6) {
    if (b.length !== 37) return 'INVALID IPv6'
    if (isIpv4Mapped(b, 1) && isIpv4Mapped(b, 19)) {
      return `${ipv4At(b, 13)}:${b.readUInt16LE(17)}->${ipv4At(b, 31)}:${b.readUInt16LE(35)}`
    }
    return `${ipv6At(b, 1)}:${b.readUInt16LE(17)}->${ipv6At(b, 19)}:${b.readUInt16LE(35)}`
  }
  if (fam === PPM_AF_UNIX) {
    return `${u64hex(b, 1)}->${u64hex(b, 9)} ${sanitize(cstrAt(b, 17))}`
  }
  return `family ${fam ?? 0}`
}

/** A PT_SOCKADDR parameter as text: "1.2.3.4:80", "::1:80", a unix path, "NULL" when empty. */
export function sockaddrText(b: Buffer): string {
  if (b.length === 0) return 'NULL'
  const fam = b[0]
  if (fam === PPM_AF_UNIX) return sanitize(cstrAt(b, 1))
  if (fam === PPM_AF_INET) {
    if (b.length !== 7) return 'INVALID IPv4'
    return `${ipv4At(b, 1)}:${b.readUInt16LE(5)}`
  }
  if (fam === PPM_AF_INET6) {
    if (b.length !== 19) return 'INVALID IPv6'
    return `${ipv6At(b, 1)}:${b.readUInt16LE(17)}`
  }
  return `family ${fam ?? 0}`
}

/** sinsp's sockinfo_to_str for a connected IPv4/IPv6 socket's bytes (see fd-info SOCK layout). */
export function sockinfoText(type: 'v4' | 'v6', s: Buffer): string {
  if (type === 'v4') {
    const l4 = s[12]
    if (l4 === L4.TCP || l4 === L4.UDP) {
      return `${ipv4At(s, 0)}:${s.readUInt16LE(8)}->${ipv4At(s, 4)}:${s.readUInt16LE(10)}`
    }
    if (l4 === L4.ICMP || l4 === L4.RAW) return `${ipv4At(s, 0)}->${ipv4At(s, 4)}`
    return '<unknown>'
  }
  const l4 = s[36]
  if (isIpv4Mapped(s, 0) && isIpv4Mapped(s, 16)) {
    if (l4 === L4.TCP || l4 === L4.UDP) {
      return `${ipv4At(s, 12)}:${s.readUInt16LE(32)}->${ipv4At(s, 28)}:${s.readUInt16LE(34)}`
    }
    if (l4 === L4.ICMP || l4 === L4.RAW) return `${ipv4At(s, 12)}->${ipv4At(s, 28)}`
    return '<unknown>'
  }
  if (l4 === L4.TCP || l4 === L4.UDP) {
    return `${ipv6At(s, 0)}:${s.readUInt16LE(32)}->${ipv6At(s, 16)}:${s.readUInt16LE(34)}`
  }
  if (l4 === L4.ICMP || l4 === L4.RAW) return `${ipv6At(s, 0)}->${ipv6At(s, 16)}`
  return '<unknown>'
}
