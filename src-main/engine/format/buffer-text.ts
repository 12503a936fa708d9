/**
 * BYTEBUF text as sysdig prints it. Default ('normal'): printable ASCII kept, every other byte shown as `.`,
 * and text longer than the output limit (80) cut to the limit with its last three characters replaced by
 * `...`. The other formats follow sysdig's -A (ascii: non-printables dropped, CR shown as LF, line breaks
 * kept, leading newline), -x (hex rows), -X (hex + ascii rows) and -b (base64); they are never truncated.
 */
import type { BufferFormat } from './render-context'

function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e
}

function dots(b: Uint8Array, off: number, len: number): string {
  let out = ''
  let runStart = off
  const end = off + len
  for (let i = off; i < end; i++) {
    if (!isPrint(b[i] ?? 0)) {
      if (i > runStart) out += Buffer.from(b.buffer, b.byteOffset + runStart, i - runStart).toString('latin1')
      out += '.'
      runStart = i + 1
    }
  }
  if (end > runStart) out += Buffer.from(b.buffer, b.byteOffset + runStart, end - runStart).toString('latin1')
  return out
}

function asciiOnly(b: Uint8Array, off: number, len: number): string {
  let out = '\n'
  for (let j = 0; j < len; j++) {
    const c = b[off + j] ?? 0
    if (isPrint(c)) out += String.fromCharCode(c)
    else if (c === 0x0d) out += '\n'
    else if (c === 0x0a && j > 0 && b[off + j - 1] !== 0x0d) out += '\n'
  }
  return out
}

function hexRows(b: Uint8Array, off: number, len: number, withAscii: boolean): string {
  let out = ''
  for (let j = 0; j < len; j += 16) {
    let row = '\n\t0x' + j.toString(16).padStart(4, '0') + ':'
    let chunks = 0
    let p = j
    while (chunks < 8 && p < len) {
      const hi = b[off + p] ?? 0
      if (p === len - 1) row += ' ' + hi.toString(16).padStart(2, '0')
      else row += ' ' + ((hi << 8) | (b[off + p + 1] ?? 0)).toString(16).padStart(4, '0')
      chunks++
      p += 2
    }
    if (withAscii) {
      while (chunks < 8) {
        row += '     '
        chunks++
      }
      row += '  '
      for (let k = j; k < j + 16 && k < len; k++) {
        const c = b[off + k] ?? 0
        row += isPrint(c) ? String.fromCharCode(c) : '.'
      }
    }
    out += row
  }
  return out + '\n'
}

/** Renders BYTEBUF bytes; `maxLen` applies to the 'normal' format only (0 = unlimited). */
export function bytebufText(
  b: Uint8Array,
  off: number,
  len: number,
  fmt: BufferFormat,
  maxLen: number
): string {
  if (len === 0) return ''
  switch (fmt) {
    case 'ascii':
      return asciiOnly(b, off, len)
    case 'hex':
      return hexRows(b, off, len, false)
    case 'hexascii':
      return hexRows(b, off, len, true)
    case 'base64':
      return Buffer.from(b.buffer, b.byteOffset + off, len).toString('base64')
    default: {
      // dots() gives one character per byte, so only the bytes that survive the cut need rendering (write
      // buffers can be megabytes long; the line shows 80 characters).
      if (maxLen > 0 && len > maxLen) {
        return maxLen > 3 ? dots(b, off, maxLen - 3) + '...' : dots(b, off, maxLen)
      }
      return dots(b, off, len)
    }
  }
}
