/**
 * Strings from captures are bytes; sysdig prints them as they are, invalid UTF-8 included. To keep such bytes
 * without giving up normal JS strings, decoding maps each byte of an invalid sequence to a lone surrogate
 * U+DC80..U+DCFF (Python's "surrogateescape", PEP 383) and `encodeUtf8Escaped` turns those back into the
 * original bytes. Text that is valid UTF-8 decodes exactly as Buffer.toString('utf8') does. A writer that
 * uses plain UTF-8 instead shows each escaped byte as U+FFFD, which is what a UI should display anyway.
 */
import { isUtf8 } from 'node:buffer'

/** Length of the valid UTF-8 sequence starting at i (1–4), or 0 when the bytes there are not one. */
function seqLen(b: Uint8Array, i: number, end: number): number {
  const c = b[i] ?? 0
  if (c < 0x80) return 1
  const at = (k: number): number => (i + k < end ? (b[i + k] ?? 0) : -1)
  const cont = (x: number): boolean => x >= 0x80 && x <= 0xbf
  if (c >= 0xc2 && c <= 0xdf) return cont(at(1)) ? 2 : 0
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = at(1)
    const lo = c === 0xe0 ? 0xa0 : 0x80
    const hi = c === 0xed ? 0x9f : 0xbf
    return c1 >= lo && c1 <= hi && cont(at(2)) ? 3 : 0
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = at(1)
    const lo = c === 0xf0 ? 0x90 : 0x80
    const hi = c === 0xf4 ? 0x8f : 0xbf
    return c1 >= lo && c1 <= hi && cont(at(2)) && cont(at(3)) ? 4 : 0
  }
  return 0
}

/** UTF-8 text of b[start, end), invalid bytes kept as U+DC80+byte. */
export function decodeUtf8Escaped(b: Buffer, start: number, end: number): string {
  if (isUtf8(b.subarray(start, end))) return b.toString('utf8', start, end)
  let out = ''
  let run = start
  for (let i = start; i < end;) {
    const n = seqLen(b, i, end)
    if (n > 0) {
      i += n
      continue
    }
    if (i > run) out += b.toString('utf8', run, i)
    out += String.fromCharCode(0xdc00 + (b[i] ?? 0))
    i++
    run = i
  }
  if (end > run) out += b.toString('utf8', run, end)
  return out
}

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g

/** The bytes of a string decoded by decodeUtf8Escaped (escaped bytes restored; the rest as UTF-8). */
export function encodeUtf8Escaped(s: string): Buffer {
  ESCAPED.lastIndex = 0
  if (!ESCAPED.test(s)) return Buffer.from(s, 'utf8')
  const parts: Buffer[] = []
  let last = 0
  ESCAPED.lastIndex = 0
  for (let m = ESCAPED.exec(s); m !== null; m = ESCAPED.exec(s)) {
    if (m.index > last) parts.push(Buffer.from(s.slice(last, m.index), 'utf8'))
    parts.push(Buffer.from([s.charCodeAt(m.index) - 0xdc00]))
    last = m.index + 1
  }
  if (last < s.length) parts.push(Buffer.from(s.slice(last), 'utf8'))
  return Buffer.concat(parts)
}
