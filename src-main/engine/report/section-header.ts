/**
 * What the capture's first section header says about where it came from: the pcapng-style SHB options
 * shb_hardware (2), shb_os (3: the kernel/OS text some writers put there) and shb_userappl (4: the recorder).
 * The index does not keep them, so the report reads the file's first bytes (gunzipped when needed). Any
 * problem (file gone, moved, not a capture) yields nulls: the report then says "not recorded".
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { constants, inflateSync, gunzipSync } from 'node:zlib'

export interface HeaderFacts {
  hardware: string | null
  os: string | null
  userappl: string | null
}

const NONE: HeaderFacts = { hardware: null, os: null, userappl: null }
const SHB = 0x0a0d0d0a
const HEAD_BYTES = 256 * 1024

function readHead(path: string): Buffer | null {
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    const buf = Buffer.alloc(HEAD_BYTES)
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0)
    return buf.subarray(0, n)
  } catch {
    return null
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

function gunzipHead(buf: Buffer): Buffer | null {
  try {
    return gunzipSync(buf, { finishFlush: constants.Z_SYNC_FLUSH })
  } catch {
    try {
      // a raw deflate stream after a 10-byte gzip header without extras
      return inflateSync(buf.subarray(10), { finishFlush: constants.Z_SYNC_FLUSH })
    } catch {
      return null
    }
  }
}

function text(b: Buffer, start: number, len: number): string {
  return b.toString('utf8', start, start + len).replace(/\0+$/, '')
}

export function parseSectionHeader(b: Buffer): HeaderFacts {
  if (b.length < 28 || b.readUInt32LE(0) !== SHB) return NONE
  const total = b.readUInt32LE(4)
  if (total < 28 || total > b.length) return NONE
  const out: HeaderFacts = { hardware: null, os: null, userappl: null }
  let pos = 24
  const end = total - 4
  while (pos + 4 <= end) {
    const code = b.readUInt16LE(pos)
    const len = b.readUInt16LE(pos + 2)
    if (code === 0 || pos + 4 + len > end) break
    if (code === 2) out.hardware = text(b, pos + 4, len)
    else if (code === 3) out.os = text(b, pos + 4, len)
    else if (code === 4) out.userappl = text(b, pos + 4, len)
    pos += 4 + ((len + 3) & ~3)
  }
  return out
}

export function readSectionHeader(path: string): HeaderFacts {
  let b = readHead(path)
  if (b === null) return NONE
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) b = gunzipHead(b)
  return b === null ? NONE : parseSectionHeader(b)
}
