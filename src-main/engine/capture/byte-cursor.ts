/** Thrown by ByteCursor when a read would pass its end; metadata decoders turn it into an anomaly. */
export class EndOfData extends Error {
  constructor() {
    super('read past the end of the entry')
  }
}

const TWO32 = 4294967296

/**
 * Sequential little-endian reader over [pos, end) of a buffer, for metadata blocks (not the event hot path).
 * Every read checks the bound so that a lying length can never make a decoder read another block's bytes.
 */
export class ByteCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number
  ) {}

  get left(): number {
    return this.end - this.pos
  }

  /** Position of the next n bytes, advancing past them (checked). */
  take(n: number): number {
    return this.need(n)
  }

  private need(n: number): number {
    const p = this.pos
    if (p + n > this.end) throw new EndOfData()
    this.pos = p + n
    return p
  }

  u8(): number {
    return this.buf[this.need(1)] ?? 0
  }

  u16(): number {
    return this.buf.readUInt16LE(this.need(2))
  }

  u32(): number {
    return this.buf.readUInt32LE(this.need(4))
  }

  i32(): number {
    return this.buf.readInt32LE(this.need(4))
  }

  /** Signed 64-bit as a double (exact below 2^53; ids, fds and sizes fit). */
  i64(): number {
    const p = this.need(8)
    return this.buf.readInt32LE(p + 4) * TWO32 + this.buf.readUInt32LE(p)
  }

  /** Unsigned 64-bit as a double (exact below 2^53). */
  u64(): number {
    const p = this.need(8)
    return this.buf.readUInt32LE(p + 4) * TWO32 + this.buf.readUInt32LE(p)
  }

  /** Unsigned 64-bit as an exact decimal string. */
  u64String(): string {
    return this.buf.readBigUInt64LE(this.need(8)).toString()
  }

  bytes(n: number): Buffer {
    const p = this.need(n)
    return this.buf.subarray(p, p + n)
  }

  /** Metadata string: u16 length + UTF-8 bytes, no NUL on disk (a stray NUL ends the text). */
  str16(): string {
    const n = this.u16()
    const p = this.need(n)
    let e = p
    while (e < p + n && this.buf[e] !== 0) e++
    return this.buf.toString('utf8', p, e)
  }

  /** u16-length NUL-separated list ("a\0b\0") → ["a", "b"]. */
  list16(): string[] {
    const n = this.u16()
    const p = this.need(n)
    if (n === 0) return []
    const parts = this.buf.toString('utf8', p, p + n).split('\0')
    if (parts[parts.length - 1] === '') parts.pop()
    return parts
  }

  /** Fixed-size NUL-padded text field. */
  fixedString(n: number): string {
    const p = this.need(n)
    let e = p
    while (e < p + n && this.buf[e] !== 0) e++
    return this.buf.toString('utf8', p, e)
  }
}
