import { ScapEvent } from '../capture/scap-event'

/**
 * Copies `src` into `dst` (reusing dst's buffer when large enough), so a thread can keep its last enter
 * event without allocating a new ScapEvent each time. Returns dst.
 */
export function copyEvent(src: ScapEvent, dst: ScapEvent | null): ScapEvent {
  const d = dst ?? new ScapEvent()
  const len = src.len
  if (d.buf.length < len) d.buf = Buffer.allocUnsafe(Math.max(len, 256))
  src.buf.copy(d.buf, 0, src.off, src.off + len)
  d.off = 0
  d.len = len
  d.type = src.type
  d.tid = src.tid
  d.tsHi = src.tsHi
  d.tsLo = src.tsLo
  d.cpu = src.cpu
  d.dumpFlags = src.dumpFlags
  d.nparams = src.nparams
  d.num = src.num
  d.fileOffset = src.fileOffset
  d.info = src.info
  d.layout = src.layout
  const shift = src.off
  for (let i = 0; i < src.nparams; i++) {
    d.pOff[i] = (src.pOff[i] ?? 0) - shift
    d.pLen[i] = src.pLen[i] ?? 0
  }
  return d
}
