/** Dotted quad of 4 network-order bytes at off. */
export function ipv4Text(b: Buffer, off: number): string {
  return `${b[off] ?? 0}.${b[off + 1] ?? 0}.${b[off + 2] ?? 0}.${b[off + 3] ?? 0}`
}

/**
 * RFC 5952 text of 16 network-order bytes at off, as inet_ntop prints it: lowercase, the longest run (≥ 2) of
 * zero words compressed to "::", IPv4-mapped addresses as "::ffff:a.b.c.d".
 */
export function ipv6Text(b: Buffer, off: number): string {
  const w: number[] = []
  for (let i = 0; i < 8; i++) w.push(b.readUInt16BE(off + i * 2))
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return '::ffff:' + ipv4Text(b, off + 12)
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
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':')
  if (bestLen < 2) return hex(w)
  return hex(w.slice(0, bestStart)) + '::' + hex(w.slice(bestStart + bestLen))
}
