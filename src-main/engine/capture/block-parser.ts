import { ANOMALIES, type AnomalyCode } from './anomaly-codes'
import {
  BLOCK,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  PCAPNG_NETWORK_BLOCKS,
  blockName,
  plVersion
} from './block-types'
import type { CaptureError, CaptureVisitor, ReadOptions, ReadSummary } from './capture-types'
import { decodeEvent, knownTo0293 } from './event-decoder'
import { decodeFdList } from './fd-list'
import { decodeProcList } from './proc-list'
import { ScapEvent } from './scap-event'
import { decodeInterfaceList, decodeMachineInfo, decodeUserList } from './small-blocks'

const DEFAULT_MAX_BLOCK = 256 * 1024 * 1024
/** Non-LARGE event blocks are capped at 64 KiB by libscap; far above that the length field is garbage. */
const MAX_SMALL_EVENT_BLOCK = 16 * 1024 * 1024
const SMALL_EVENT_LIMIT = 65536 + 8
const SHB_MIN = 28

/**
 * The synchronous heart of the decoder: fed the uncompressed stream chunk by chunk, it frames blocks (a block
 * straddling chunks is carried over and assembled once complete), validates them, decodes metadata into plain
 * objects and events into the reused ScapEvent flyweight, and keeps the ReadSummary. Never throws on bad
 * input: fatal problems end in `summary.error`, recoverable ones in anomalies.
 */
export class BlockParser {
  readonly summary: ReadSummary
  private readonly ev = new ScapEvent()
  private readonly maxBlock: number
  private readonly only0293: boolean
  private readonly quirk: { hit: AnomalyCode | null } = { hit: null }
  /** Uncompressed offset of the start of the next chunk. */
  private base = 0
  /** The block being carried over chunk boundaries: its first pendLen bytes (8 until its header is read). */
  private pend: Buffer = Buffer.alloc(8)
  private pendLen = 0
  private pendTotal = -1
  private done = false
  private sawShb = false
  private sawScapBlock = false
  private eventsInSection = 0
  private shbUserAppl = ''

  constructor(
    private readonly visitor: CaptureVisitor,
    opts: ReadOptions,
    compressed: boolean,
    fileSize: number
  ) {
    this.maxBlock = opts.maxBlockBytes ?? DEFAULT_MAX_BLOCK
    this.only0293 = opts.eventSet === 'sysdig0293'
    this.summary = {
      complete: false,
      compressed,
      fileSize,
      bytes: 0,
      sections: 0,
      formatVersion: '',
      blocks: {},
      events: 0,
      anomalies: {},
      stopped: false
    }
  }

  get finished(): boolean {
    return this.done
  }

  /** Parses every complete block of the chunk; returns false once reading must stop. */
  feed(chunk: Buffer): boolean {
    if (this.done) return false
    let pos = 0
    if (this.pendLen > 0) {
      pos = this.completePending(chunk)
      if (pos < 0) return !this.done
    }
    const len = chunk.length
    while (pos + 8 <= len) {
      // Per-block header reads by byte arithmetic (u32le): Buffer methods check their arguments each call.
      const type = u32le(chunk, pos)
      const total = u32le(chunk, pos + 4)
      const at = this.base + pos
      if (!this.checkHeader(type, total, at)) return false
      if (pos + total > len) break
      if (!this.block(chunk, pos, type, total, at)) return false
      pos += total
    }
    if (pos < len) {
      this.pendAt = this.base + pos
      this.pendTotal = -1
      if (len - pos >= 8) {
        // The header was checked in the loop; one buffer of the block's size receives its bytes as they come.
        this.pendTotal = chunk.readUInt32LE(pos + 4)
        this.pendName = blockName(chunk.readUInt32LE(pos))
        this.pend = Buffer.allocUnsafe(this.pendTotal)
      } else this.pend = Buffer.alloc(8)
      chunk.copy(this.pend, 0, pos)
      this.pendLen = len - pos
    }
    this.base += len
    this.summary.bytes = this.base - this.pendLen
    return true
  }

  private pendAt = 0

  /** Input ended: a carried partial block means truncation. Closes the summary. */
  finish(): ReadSummary {
    if (!this.done) {
      if (!this.sawShb && !startsLikeShb(this.pend, this.pendLen)) {
        this.fatal('not-a-capture', 'not a .scap capture: no section header block at the start', 0)
      } else if (this.pendLen > 0) {
        const name = this.pendTotal >= 0 ? this.pendName : undefined
        this.fatal(
          'truncated',
          `file ends inside a block: ${this.pendLen} of ${this.pendTotal >= 0 ? this.pendTotal : 'at least 8'} bytes present (is the file truncated?)`,
          this.pendAt,
          name
        )
      } else if (!this.sawShb) {
        this.fatal('not-a-capture', 'empty input: no section header block', 0)
      } else {
        if (this.eventsInSection === 0) this.anomaly('empty-section', this.base)
        this.summary.complete = true
        this.summary.bytes = this.base
        this.done = true
      }
    }
    this.closeCounts()
    return this.summary
  }

  /** Stops reading on the caller's behalf (abort signal). */
  stop(): void {
    if (!this.done) {
      this.summary.bytes = this.base - this.pendLen
      this.summary.stopped = true
      this.done = true
    }
  }

  /** True when no partial block is carried (the input could end here). */
  get atBlockBoundary(): boolean {
    return this.pendLen === 0 && this.sawShb
  }

  /** Bytes after the last gzip member that are not gzip: ignored (as zlib's gzread does), with a warning. */
  trailingGarbage(): void {
    this.anomaly('gzip-trailing-garbage', this.base)
  }

  /** An error outside the block stream (I/O, gzip) ends the read. */
  failInput(code: CaptureError['code'], message: string): void {
    if (!this.done) this.fatal(code, message, this.base - this.pendLen)
  }

  private pendName = ''

  /** Adds chunk bytes to the carried block; returns the chunk position after it, or -1 if still incomplete. */
  private completePending(chunk: Buffer): number {
    let pos = 0
    if (this.pendTotal < 0) {
      pos = Math.min(8 - this.pendLen, chunk.length)
      chunk.copy(this.pend, this.pendLen, 0, pos)
      this.pendLen += pos
      if (this.pendLen < 8) {
        this.base += chunk.length
        return -1
      }
      const type = this.pend.readUInt32LE(0)
      const total = this.pend.readUInt32LE(4)
      if (!this.checkHeader(type, total, this.pendAt)) return -1
      const b = Buffer.allocUnsafe(total)
      this.pend.copy(b, 0, 0, 8)
      this.pend = b
      this.pendTotal = total
      this.pendName = blockName(type)
    }
    const rest = this.pendTotal - this.pendLen
    if (chunk.length - pos < rest) {
      chunk.copy(this.pend, this.pendLen, pos)
      this.pendLen += chunk.length - pos
      this.base += chunk.length
      this.summary.bytes = this.base - this.pendLen
      return -1
    }
    chunk.copy(this.pend, this.pendLen, pos, pos + rest)
    const b = this.pend
    const at = this.pendAt
    this.pend = Buffer.alloc(8)
    this.pendLen = 0
    this.pendTotal = -1
    if (!this.block(b, 0, b.readUInt32LE(0), b.length, at)) return -1
    return pos + rest
  }

  /** Framing checks that must hold before a block is buffered. */
  private checkHeader(type: number, total: number, at: number): boolean {
    if (!this.sawShb && type !== BLOCK.SHB) {
      this.fatal(
        'not-a-capture',
        'not a .scap capture: the file does not start with a section header block',
        at
      )
      return false
    }
    if (total < 12) {
      this.fatal('corrupt', `block length ${total} is below the 12-byte minimum`, at, blockName(type))
      return false
    }
    const cap = isSmallEvent(type) ? MAX_SMALL_EVENT_BLOCK : this.maxBlock
    if (total > cap) {
      this.fatal('corrupt', `block length ${total} is absurd (limit ${cap})`, at, blockName(type))
      return false
    }
    if (!this.summary.compressed && at + total > this.summary.fileSize) {
      const msg = `block of ${total} bytes runs past the end of the file (${this.summary.fileSize} bytes): is the file truncated?`
      this.fatal('truncated', msg, at, blockName(type))
      return false
    }
    return true
  }

  /** Block counts by type, turned into names once at the end (a Map lookup per block, no string work). */
  private readonly blockCounts = new Map<number, number>()
  private lastType = -1
  private lastCount = 0

  private count(type: number): void {
    // Runs of one type (event blocks) only bump a local counter.
    if (type === this.lastType) {
      this.lastCount++
      return
    }
    this.flushCount()
    this.lastType = type
    this.lastCount = 1
  }

  private flushCount(): void {
    if (this.lastType >= 0)
      this.blockCounts.set(this.lastType, (this.blockCounts.get(this.lastType) ?? 0) + this.lastCount)
    this.lastType = -1
    this.lastCount = 0
  }

  private closeCounts(): void {
    this.flushCount()
    const blocks: Record<string, number> = {}
    for (const [t, n] of this.blockCounts) blocks[blockName(t)] = (blocks[blockName(t)] ?? 0) + n
    this.summary.blocks = blocks
  }

  /** One complete block at buf[pos, pos+total). Returns false to stop reading. */
  private block(buf: Buffer, pos: number, type: number, total: number, at: number): boolean {
    switch (type) {
      case BLOCK.EV_V2:
        return this.event(buf, pos, total, at, false, false, type)
      case BLOCK.EV:
      case BLOCK.EV_INT:
        return this.event(buf, pos, total, at, false, true, type)
      case BLOCK.EVF_V2:
      case BLOCK.EVF_V2_LARGE:
        return this.event(buf, pos, total, at, true, false, type)
      case BLOCK.EV_V2_LARGE:
        return this.event(buf, pos, total, at, false, false, type)
      case BLOCK.EVF:
        return this.event(buf, pos, total, at, true, true, type)
      case BLOCK.SHB:
        return this.shb(buf, pos, total, at)
      default:
        return this.metadata(buf, pos, type, total, at)
    }
  }

  private event(
    buf: Buffer,
    pos: number,
    total: number,
    at: number,
    hasFlags: boolean,
    v1: boolean,
    type: number
  ): boolean {
    this.count(type)
    this.sawScapBlock = true
    this.eventsInSection++
    if (total > SMALL_EVENT_LIMIT && isSmallEvent(type)) this.anomaly('oversized-event-block', at)
    if (u32le(buf, pos + total - 4) !== total) this.anomaly('event-trailer-mismatch', at)
    const ev = this.ev
    const bodyEnd = pos + total - 4
    this.quirk.hit = null
    const problem = decodeEvent(ev, buf, pos + 8, bodyEnd, hasFlags, v1, this.quirk)
    if (this.quirk.hit !== null) this.anomaly(this.quirk.hit, at)
    if (problem !== null) {
      this.anomaly(problem, at, problem === 'unknown-event-type' ? `type ${ev.type}` : undefined)
      return true
    }
    if (bodyEnd - (ev.off + ev.len) >= 4) this.anomaly('event-block-options', at)
    if (this.only0293 && !knownTo0293(ev.type)) {
      this.anomaly('event-not-in-0.29.3', at, `type ${ev.type}`)
      return true
    }
    ev.fileOffset = at
    ev.num = ++this.summary.events
    if (this.visitor.event?.(ev) === false) {
      this.summary.bytes = at + total
      this.summary.stopped = true
      this.done = true
      return false
    }
    return true
  }

  private shb(buf: Buffer, pos: number, total: number, at: number): boolean {
    this.count(BLOCK.SHB)
    if (total < SHB_MIN) {
      this.fatal('corrupt', `section header block of ${total} bytes (28 expected)`, at, 'SHB')
      return false
    }
    const magic = buf.readUInt32LE(pos + 8)
    if (magic === BYTE_ORDER_MAGIC_SWAPPED) {
      this.fatal('unsupported', 'big-endian section: no .scap writer produces these', at, 'SHB')
      return false
    }
    if (magic !== BYTE_ORDER_MAGIC) {
      const msg = `bad byte-order magic 0x${magic.toString(16)} in the section header block`
      this.fatal(this.sawShb ? 'corrupt' : 'not-a-capture', msg, at, 'SHB')
      return false
    }
    if (buf.readUInt32LE(pos + total - 4) !== total) {
      this.fatal('corrupt', 'section header block trailer does not match its length', at, 'SHB')
      return false
    }
    const major = buf.readUInt16LE(pos + 12)
    const minor = buf.readUInt16LE(pos + 14)
    if (major > 1) {
      this.fatal('unsupported', `capture format version ${major}.${minor} is newer than 1.x`, at, 'SHB')
      return false
    }
    if (this.sawShb && this.eventsInSection === 0) this.anomaly('empty-section', at)
    if (total > SHB_MIN) {
      this.anomaly('shb-options', at)
      this.shbUserAppl = readShbUserAppl(buf, pos + 24, pos + total - 4)
    }
    this.sawShb = true
    this.eventsInSection = 0
    const index = this.summary.sections++
    if (index === 0) this.summary.formatVersion = `${major}.${minor}`
    this.visitor.section?.({ index, major, minor, offset: at })
    return true
  }

  private metadata(buf: Buffer, pos: number, type: number, total: number, at: number): boolean {
    const net = PCAPNG_NETWORK_BLOCKS.get(type)
    if (net !== undefined && !this.sawScapBlock) {
      const by = this.shbUserAppl === '' ? '' : `, written by ${this.shbUserAppl}`
      this.count(type)
      this.fatal(
        'not-a-capture',
        `not a syscall capture (pcapng network capture: ${net} block${by})`,
        at,
        blockName(type)
      )
      return false
    }
    const v = this.visitor
    const start = pos + 8
    const end = pos + total - 4
    const pl = plVersion(type)
    const report = (code: AnomalyCode, offset: number, detail?: string): void => {
      this.anomaly(code, offset - pos + at, detail)
    }
    let known = true
    if (pl > 0) decodeProcList(buf, start, end, pl, v.thread?.bind(v), report)
    else {
      switch (type) {
        case BLOCK.MI:
        case BLOCK.MI_INT:
          v.machineInfo?.(decodeMachineInfo(buf, start, end, report))
          break
        case BLOCK.FDL_V1:
        case BLOCK.FDL_V1_INT:
        case BLOCK.FDL_V2:
          decodeFdList(buf, start, end, type === BLOCK.FDL_V2, v.fd?.bind(v), report)
          break
        case BLOCK.UL_V1:
        case BLOCK.UL_V1_INT:
        case BLOCK.UL_V2:
          decodeUserList(buf, start, end, type === BLOCK.UL_V2, v.user?.bind(v), v.group?.bind(v), report)
          break
        case BLOCK.IL_V1:
        case BLOCK.IL_V1_INT:
        case BLOCK.IL_V2:
          decodeInterfaceList(buf, start, end, type === BLOCK.IL_V2, v.iface?.bind(v), report)
          break
        default:
          known = false
      }
    }
    this.count(type)
    if (!known) {
      this.anomaly('unknown-block', at, blockName(type))
      return true
    }
    this.sawScapBlock = true
    if (buf.readUInt32LE(pos + total - 4) !== total) {
      this.fatal('corrupt', 'block trailer length does not match its header length', at, blockName(type))
      return false
    }
    if (this.eventsInSection > 0) this.anomaly('metadata-after-events', at, blockName(type))
    return true
  }

  anomaly(code: AnomalyCode, offset: number, detail?: string): void {
    const def = ANOMALIES[code]
    const message = detail === undefined ? def.message : `${def.message} (${detail})`
    const a = this.summary.anomalies[code]
    if (a === undefined) {
      this.summary.anomalies[code] = { severity: def.severity, count: 1, firstOffset: offset, message }
    } else a.count++
    this.visitor.anomaly?.({ code, severity: def.severity, message, offset })
  }

  /** Everything before `offset` was consumed and delivered; nothing after it. */
  private fatal(code: CaptureError['code'], message: string, offset: number, block?: string): void {
    this.summary.bytes = offset
    this.summary.error = block === undefined ? { code, message, offset } : { code, message, offset, block }
    this.summary.complete = false
    this.done = true
  }
}

/** Whether the first n bytes of b agree with an SHB block type (0A 0D 0D 0A). */
function startsLikeShb(b: Buffer, n: number): boolean {
  const magic = [0x0a, 0x0d, 0x0d, 0x0a]
  for (let i = 0; i < n && i < 4; i++) if (b[i] !== magic[i]) return false
  return n > 0
}

/** Little-endian u32 at o; the caller knows o + 4 is within the buffer. */
function u32le(b: Buffer, o: number): number {
  return (
    ((b[o] as number) |
      ((b[o + 1] as number) << 8) |
      ((b[o + 2] as number) << 16) |
      ((b[o + 3] as number) << 24)) >>>
    0
  )
}

function isSmallEvent(type: number): boolean {
  return (
    type === BLOCK.EV_V2 ||
    type === BLOCK.EVF_V2 ||
    type === BLOCK.EV ||
    type === BLOCK.EV_INT ||
    type === BLOCK.EVF
  )
}

/** shb_userappl (option 4) from pcapng SHB options, for a clearer "not a syscall capture" message. */
function readShbUserAppl(buf: Buffer, pos: number, end: number): string {
  while (pos + 4 <= end) {
    const code = buf.readUInt16LE(pos)
    const len = buf.readUInt16LE(pos + 2)
    if (code === 0 || pos + 4 + len > end) break
    if (code === 4) return buf.toString('utf8', pos + 4, pos + 4 + len).replace(/\0+$/, '')
    pos += 4 + ((len + 3) & ~3)
  }
  return ''
}
