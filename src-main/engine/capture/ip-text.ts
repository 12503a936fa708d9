/**
 * IP address text exactly as glibc's inet_ntop prints it (sysdig never resolves names when reading a file).
 * The one implementation for the whole engine: FDL/IL entries here, fd names in state/, argument text in
 * format/.
 */

const OCTET: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i))

/** Dotted quad of 4 network-order bytes at off. */
export function ipv4Text(b: Uint8Array, off: number): string {
  return `${OCTET[b[off] ?? 0] ?? ''}.${OCTET[b[off + 1] ?? 0] ?? ''}.${OCTET[b[off + 2] ?? 0] ?? ''}.${OCTET[b[off + 3] ?? 0] ?? ''}`
}

/**
 * inet_ntop(AF_INET6) of 16 network-order bytes at off: lower-case hex words, the first longest run (≥ 2)
 * of zero words as "::", and the IPv4 tail for IPv4-mapped (::ffff:a.b.c.d) and the deprecated
 * IPv4-compatible (::a.b.c.d: six zero words, then a non-zero one) forms.
 */
export function ipv6Text(b: Uint8Array, off: number): string {
  const w: number[] = []
  for (let i = 0; i < 8; i++) w.push(((b[off + 2 * i] ?? 0) << 8) | (b[off + 2 * i + 1] ?? 0))
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0) {
    if (w[5] === 0xffff) return `::ffff:${ipv4Text(b, off + 12)}`
    if (w[5] === 0 && (w[6] ?? 0) !== 0) return `::${ipv4Text(b, off + 12)}`
  }
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && w[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  if (bestLen < 2) bestStart = -1
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':'
      i += bestLen - 1
      continue
    }
    out += (w[i] ?? 0).toString(16)
    if (i < 7) out += ':'
  }
  return out
}
