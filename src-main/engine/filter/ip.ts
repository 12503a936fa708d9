// IP address and CIDR parsing for ipaddr/ipnet comparisons. Addresses are reduced to a canonical key
// (IPv4 dotted decimal; IPv6 as 8 lowercase hex groups without compression) so equality is string equality.

export interface IpAddr {
  v6: boolean
  /** 4 bytes for IPv4, 16 for IPv6 */
  bytes: Uint8Array
}

export interface Cidr {
  v6: boolean
  bytes: Uint8Array
  prefix: number
}

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

export function parseIp(text: string): IpAddr | undefined {
  const m = V4_RE.exec(text)
  if (m !== null) {
    const b = new Uint8Array(4)
    for (let i = 0; i < 4; i++) {
      const n = Number(m[i + 1])
      if (n > 255) return undefined
      b[i] = n
    }
    return { v6: false, bytes: b }
  }
  if (!text.includes(':')) return undefined
  return parseV6(text)
}

function parseV6(text: string): IpAddr | undefined {
  let s = text
  // an embedded IPv4 tail (::ffff:1.2.3.4) is rewritten as two hex groups
  const lastColon = s.lastIndexOf(':')
  const tail = s.slice(lastColon + 1)
  if (tail.includes('.')) {
    const v4 = parseIp(tail)
    if (v4 === undefined || v4.v6) return undefined
    const b = v4.bytes
    const hi = (((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)
    const lo = (((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)
    s = `${s.slice(0, lastColon + 1)}${hi}:${lo}`
  }
  const parts = s.split('::')
  if (parts.length > 2) return undefined
  const groups = (p: string): number[] | undefined => {
    if (p === '') return []
    const out: number[] = []
    for (const g of p.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      out.push(parseInt(g, 16))
    }
    return out
  }
  const head = groups(parts[0] ?? '')
  const rest = parts.length === 2 ? groups(parts[1] ?? '') : []
  if (head === undefined || rest === undefined) return undefined
  const total = head.length + rest.length
  let words: number[]
  if (parts.length === 2) {
    if (total > 7) return undefined
    words = [...head, ...new Array<number>(8 - total).fill(0), ...rest]
  } else {
    if (total !== 8) return undefined
    words = head
  }
  const b = new Uint8Array(16)
  words.forEach((w, i) => {
    b[2 * i] = w >> 8
    b[2 * i + 1] = w & 0xff
  })
  return { v6: true, bytes: b }
}

export function ipKey(a: IpAddr): string {
  if (!a.v6) return Array.from(a.bytes).join('.')
  const w: string[] = []
  for (let i = 0; i < 16; i += 2) w.push((((a.bytes[i] ?? 0) << 8) | (a.bytes[i + 1] ?? 0)).toString(16))
  return w.join(':')
}

const CANON_V4 = /^(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})$/

/** Canonical key of an address given as text; undefined when it is not an address. */
export function canonicalIp(text: string): string | undefined {
  // fast path: already canonical IPv4 (what the field layer produces)
  if (CANON_V4.test(text)) {
    const a = parseIp(text)
    return a === undefined ? undefined : text
  }
  const a = parseIp(text)
  return a === undefined ? undefined : ipKey(a)
}

/** `10.0.0.0/8`, `fe80::/10`, or a plain address (full-length prefix). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash))
  if (addr === undefined) return undefined
  const max = addr.v6 ? 128 : 32
  let prefix = max
  if (slash >= 0) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p)) return undefined
    prefix = Number(p)
    if (prefix > max) return undefined
  }
  return { v6: addr.v6, bytes: addr.bytes, prefix }
}

export function cidrContains(net: Cidr, a: IpAddr): boolean {
  if (net.v6 !== a.v6) return false
  let bits = net.prefix
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff
    if (((net.bytes[i] ?? 0) & mask) !== ((a.bytes[i] ?? 0) & mask)) return false
  }
  return true
}
