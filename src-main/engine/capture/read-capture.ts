import { open, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { BlockParser } from './block-parser'
import type { CaptureVisitor, ReadOptions, ReadSummary } from './capture-types'

const DEFAULT_CHUNK = 4 * 1024 * 1024
/**
 * Gunzip output size. When zlib fails (corrupt data, trailing garbage), Node drops the output of the failing
 * call, so a small output buffer bounds what is lost before the damage.
 */
const GUNZIP_CHUNK = 64 * 1024
/** Compressed bytes written to zlib at a time (see readGzip). */
const GZIP_SLICE = 16 * 1024
const GZIP_MAGIC_0 = 0x1f
const GZIP_MAGIC_1 = 0x8b

/**
 * Streams a capture file (plain or gzip, sniffed by its first two bytes) through the visitor in file order.
 * Memory stays bounded by the chunk size plus the largest block, whatever the file size. Never throws for bad
 * input or I/O errors: they end up in `summary.error` (code "io" for a missing or unreadable file), and
 * everything decoded before the problem has been delivered.
 */
export async function readCapture(
  path: string,
  visitor: CaptureVisitor,
  opts: ReadOptions = {}
): Promise<ReadSummary> {
  const asked = opts.chunkBytes ?? DEFAULT_CHUNK
  const chunkBytes = Number.isFinite(asked) ? Math.max(1, Math.floor(asked)) : DEFAULT_CHUNK
  let size: number
  let fh: Awaited<ReturnType<typeof open>>
  try {
    size = (await stat(path)).size
    fh = await open(path, 'r')
  } catch (e) {
    const p = new BlockParser(visitor, opts, false, 0)
    p.failInput('io', `cannot open ${path}: ${errText(e)}`)
    return p.finish()
  }
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await fh.read(head, 0, 2, 0)
    if (bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) {
      await fh.close()
      const input = createReadStream(path, { highWaterMark: 1024 * 1024 })
      return await readGzip(input, visitor, opts, size, chunkBytes)
    }
    const parser = new BlockParser(visitor, opts, false, size)
    let filePos = 0
    // The parser copies a block that straddles chunks, so one buffer can take every read (see reuseChunk).
    const shared = opts.reuseChunk === true ? Buffer.allocUnsafe(chunkBytes) : null
    for (;;) {
      if (opts.signal?.aborted === true) {
        parser.stop()
        break
      }
      const buf = shared ?? Buffer.allocUnsafe(chunkBytes)
      let n: number
      try {
        n = (await fh.read(buf, 0, chunkBytes, filePos)).bytesRead
      } catch (e) {
        parser.failInput('io', `read error: ${errText(e)}`)
        break
      }
      if (n === 0) break
      filePos += n
      const more = parser.feed(n === chunkBytes ? buf : buf.subarray(0, n))
      visitor.progress?.(filePos, size)
      if (!more) break
    }
    return parser.finish()
  } finally {
    await fh.close().catch(() => undefined)
  }
}

/** Same as readCapture over bytes already in memory (plain or gzip). */
export async function readCaptureBuffer(
  data: Buffer,
  visitor: CaptureVisitor,
  opts: ReadOptions = {}
): Promise<ReadSummary> {
  if (data.length >= 2 && data[0] === GZIP_MAGIC_0 && data[1] === GZIP_MAGIC_1) {
    return readGzip(Readable.from([data]), visitor, opts, data.length, opts.chunkBytes ?? DEFAULT_CHUNK)
  }
  const parser = new BlockParser(visitor, opts, false, data.length)
  if (opts.signal?.aborted === true) parser.stop()
  else {
    parser.feed(data)
    visitor.progress?.(data.length, data.length)
  }
  return parser.finish()
}

/**
 * Gunzip in small input slices, each fully decompressed and its output handed to the parser before the next
 * is written. zlib drops its pending output when it fails, so this bounds what corrupt data or trailing
 * garbage can take with it to one slice, and a gzip bomb to one slice of work after the parser stops.
 */
async function readGzip(
  input: Readable,
  visitor: CaptureVisitor,
  opts: ReadOptions,
  size: number,
  chunkBytes: number
): Promise<ReadSummary> {
  const parser = new BlockParser(visitor, opts, true, size)
  const gunzip = createGunzip({ chunkSize: Math.max(64, Math.min(chunkBytes, GUNZIP_CHUNK)) })
  let compressedRead = 0
  let failed: Error | null = null
  let stopped = false
  gunzip.on('data', (chunk: Buffer) => {
    if (stopped) return
    if (!parser.feed(chunk)) stopped = true
    visitor.progress?.(compressedRead, size)
  })
  gunzip.on('error', (e) => {
    failed ??= e
  })
  const settle = (act: (cb: () => void) => void): Promise<void> =>
    new Promise<void>((resolve) => {
      const onError = (): void => {
        resolve()
      }
      gunzip.once('error', onError)
      act(() => {
        gunzip.off('error', onError)
        setImmediate(resolve)
      })
    })
  const halted = (): boolean => stopped || failed !== null || opts.signal?.aborted === true
  try {
    outer: for await (const c of input as AsyncIterable<Buffer>) {
      compressedRead += c.length
      for (let i = 0; i < c.length; i += GZIP_SLICE) {
        await settle((cb) => gunzip.write(c.subarray(i, i + GZIP_SLICE), cb))
        if (halted()) break outer
      }
    }
    if (!halted()) await settle((cb) => gunzip.end(cb))
  } catch (e) {
    parser.failInput('io', `read error: ${errText(e)}`)
  } finally {
    input.destroy()
    gunzip.destroy()
  }
  if (opts.signal?.aborted === true) parser.stop()
  else if (failed !== null && !stopped) gzipError(parser, errText(failed))
  return parser.finish()
}

function gzipError(parser: BlockParser, msg: string): void {
  if (/unexpected end/i.test(msg)) {
    parser.failInput('truncated', `gzip stream ends early (is the file truncated?): ${msg}`)
  } else if (/incorrect header check/i.test(msg) && parser.atBlockBoundary) {
    // zlib reads a new member after each one: bytes that are not a gzip header end the stream here.
    parser.trailingGarbage()
  } else parser.failInput('corrupt', `gzip data is corrupt: ${msg}`)
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
