/** Text addresses (as the decoder hands FDL/IL entries out) back to network-order bytes. */

export function parseIpv4(s: string, out: Buffer, off: number): boolean {
  const p = s.split('.')
  if (p.length !== 4) return false
  for (let i = 0; i < 4; i++) {
    const v = Number(p[i])
    if (!Number.isInteger(v) || v < 0 || v > 255) return false
    out[off + i] = v
  }
  return true
}

export function parseIpv6(s: string, out: Buffer, off: number): boolean {
  out.fill(0, off, off + 16)
  let text = s
  const words: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (lastColon >= 0 && text.includes('.', lastColon)) {
    // A trailing dotted quad becomes two hex words.
    const q = Buffer.alloc(4)
    if (!parseIpv4(text.slice(lastColon + 1), q, 0)) return false
    const h1 = (((q[0] ?? 0) << 8) | (q[1] ?? 0)).toString(16)
    const h2 = (((q[2] ?? 0) << 8) | (q[3] ?? 0)).toString(16)
    text = `${text.slice(0, lastColon + 1)}${h1}:${h2}`
  }
  const dbl = text.indexOf('::')
  const parseList = (t: string): number[] | null => {
    if (t === '') return []
    const r: number[] = []
    for (const h of t.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return null
      r.push(parseInt(h, 16))
    }
    return r
  }
  if (dbl >= 0) {
    const a = parseList(text.slice(0, dbl))
    const b = parseList(text.slice(dbl + 2))
    if (a === null || b === null) return false
    const fill = 8 - a.length - b.length
    if (fill < 0) return false
    words.push(...a, ...new Array<number>(fill).fill(0), ...b)
  } else {
    const a = parseList(text)
    if (a === null) return false
    words.push(...a)
  }
  if (words.length !== 8) return false
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i] ?? 0, off + 2 * i)
  return true
}
