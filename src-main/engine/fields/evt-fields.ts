/** evt.* fields (sinsp_filter_check_event, 0.29.3 semantics). Argument text comes from format/. */
import type { ScapEvent } from '../capture/scap-event'
import { EF } from '../capture/schema/event-table.generated'
import { argIndex, evtArg, evtDir, evtTypeName, renderEvtArgs } from '../format/evt-info'
import { bytebufText, evtBuflen, evtCategory, evtIsOpen, evtRawArg } from '../format'
import { errnoName } from '../format/param-render'
import { datetimeText, iso8601Text, timeSecText, timeText } from '../format/time-text'
import { FLAGS_0293 } from '../state/event-flags'
import { nsToBigInt } from '../../common/time'
import { boolRender, field } from './define'
import type { Def } from './define'
import type { EventContext } from './event-context'

const TWO32 = 4294967296

/** Index of the first parameter called `name` among those 0.29.3 exposes (get_param_value_raw). */
function named(c: EventContext, name: string): number {
  const i = argIndex(c.ev, name)
  return i >= 0 && i < c.state.np(c.ev) ? i : -1
}

/** The result sysdig reads for evt.res/evt.rawres/evt.failed: 'res', or 'fd' of fd-creating exits. */
function resultParam(c: EventContext): number {
  const r = named(c, 'res')
  if (r >= 0) return r
  const ev = c.ev
  if ((FLAGS_0293[ev.type] ?? 0) & EF.CREATES_FD && (ev.type & 1) === 1) return named(c, 'fd')
  return -1
}

function int64(ev: ScapEvent, i: number): number {
  // sinsp reads every result as an int64 whatever its declared width.
  const len = ev.pLen[i] ?? 0
  if (len === 8) return ev.int(i) ?? 0
  return ev.int(i) ?? 0
}

/** evt.buflen and its variants (0.29.3 also prints the table-only ones with -p). */
const BUFLEN_VARIANTS = ['', 'in', 'out', 'file', 'file.in', 'file.out', 'net', 'net.in', 'net.out'] as const

const IO_READ = EF.READS_FROM_FD
const IO_WRITE = EF.WRITES_TO_FD

/** open family events with a flags parameter (enter or exit); openat (old) exits read their enter. */
const OPEN_TYPES = new Set([2, 3, 102, 103, 306, 307, 326, 327])
const PPM_O_RDONLY = 1
const PPM_O_WRONLY = 2

function openFlags(c: EventContext): number | undefined {
  const ev = c.ev
  if (!OPEN_TYPES.has(ev.type)) return undefined
  if (ev.type === 103) {
    const e = c.tinfo?.lastEnter
    return e === null || e === undefined ? undefined : (e.int(2) ?? 0)
  }
  const i = named(c, 'flags')
  return i < 0 ? undefined : (ev.int(i) ?? 0)
}

export const EVT_FIELDS: Def[] = [
  field('evt.num', 'uint', 'event number.', (c) => c.ev.num),
  field('evt.time', 'string', 'event timestamp as a time string with nanoseconds.', (c) =>
    timeText(c.ev.tsHi, c.ev.tsLo)
  ),
  field('evt.time.s', 'string', 'event timestamp without nanoseconds.', (c) =>
    timeSecText(c.ev.tsHi, c.ev.tsLo)
  ),
  field('evt.time.iso8601', 'string', 'event timestamp in ISO 8601 format (UTC).', (c) =>
    iso8601Text(c.ev.tsHi, c.ev.tsLo)
  ),
  field('evt.datetime', 'string', 'event timestamp as a time string that includes the date.', (c) =>
    datetimeText(c.ev.tsHi, c.ev.tsLo)
  ),
  field('evt.rawtime', 'abstime', 'absolute event timestamp, ns from epoch.', (c) =>
    nsToBigInt(c.ev.tsHi, c.ev.tsLo)
  ),
  field('evt.rawtime.s', 'abstime', 'integer part of the event timestamp.', (c) =>
    Math.floor((c.ev.tsHi * TWO32 + c.ev.tsLo) / 1e9)
  ),
  field('evt.rawtime.ns', 'abstime', 'fractional part of the event timestamp.', (c) =>
    Number(nsToBigInt(c.ev.tsHi, c.ev.tsLo) % 1000000000n)
  ),
  field(
    'evt.reltime',
    'reltime',
    'ns from the beginning of the capture.',
    (c) => c.state.ts - c.state.firstTs
  ),
  field('evt.outputtime', 'string', 'the event time as sysdig prints it (-t h).', (c) =>
    timeText(c.ev.tsHi, c.ev.tsLo)
  ),
  field(
    'evt.latency',
    'reltime',
    'delta between an exit event and its enter event, ns.',
    (c) => c.tinfo?.latency ?? 0
  ),
  field('evt.dir', 'string', "'>' for enter events, '<' for exit events.", (c) => evtDir(c.ev)),
  field('evt.type', 'string', "the name of the event (e.g. 'open').", (c) => evtTypeName(c.ev)),
  field('syscall.type', 'string', 'for system call events, the name of the system call.', (c) => {
    const ev = c.ev
    if (ev.type === 152 || ((FLAGS_0293[ev.type] ?? 0) & EF.SKIPPARSERESET) !== 0) return undefined
    return evtTypeName(ev)
  }),
  field('evt.cpu', 'int', 'number of the CPU where this event happened.', (c) => c.ev.cpu),
  field('evt.args', 'string', 'all the event arguments, aggregated into a single string.', (c) =>
    renderEvtArgs(c.ev, c)
  ),
  field('evt.info', 'string', 'the event arguments as a single string.', (c) => renderEvtArgs(c.ev, c)),
  field(
    'evt.arg',
    'string',
    "one of the event arguments by name or number, e.g. 'evt.arg.fd' or 'evt.arg[0]'.",
    (c, a) => (a === undefined ? undefined : evtArg(c.ev, a, c)),
    { arg: 'required', argKind: 'auto' }
  ),
  field(
    'evt.rawarg',
    'dyn',
    "one of the event arguments by name, raw, e.g. 'evt.rawarg.fd'.",
    (c, a) => {
      if (typeof a !== 'string') return undefined
      // Only the parameters 0.29.3 knows; text keeps invalid UTF-8 bytes (printed back raw, like sysdig).
      return named(c, a) < 0 ? undefined : evtRawArg(c.ev, a)
    },
    { arg: 'required' }
  ),
  field('evt.res', 'string', "event return value: 'SUCCESS' or an error code name (e.g. 'ENOENT').", (c) => {
    const i = resultParam(c)
    if (i < 0) return undefined
    const v = int64(c.ev, i)
    if (v >= 0) return 'SUCCESS'
    const n = errnoName(v)
    return n !== '' ? n : String(v)
  }),
  field('evt.rawres', 'int', 'event return value, as a number (e.g. -2).', (c) => {
    const i = resultParam(c)
    return i < 0 ? undefined : int64(c.ev, i)
  }),
  field(
    'evt.failed',
    'bool',
    "'true' for events that returned an error status.",
    (c) => {
      const i = resultParam(c)
      return i >= 0 && int64(c.ev, i) < 0
    },
    { render: boolRender }
  ),
  field(
    'evt.is_io',
    'bool',
    "'true' for events that read or write to FDs.",
    (c) => ((FLAGS_0293[c.ev.type] ?? 0) & (IO_READ | IO_WRITE)) !== 0,
    { render: boolRender }
  ),
  field(
    'evt.is_io_read',
    'bool',
    "'true' for events that read from FDs.",
    (c) => ((FLAGS_0293[c.ev.type] ?? 0) & IO_READ) !== 0,
    { render: boolRender }
  ),
  field(
    'evt.is_io_write',
    'bool',
    "'true' for events that write to FDs.",
    (c) => ((FLAGS_0293[c.ev.type] ?? 0) & IO_WRITE) !== 0,
    { render: boolRender }
  ),
  field('evt.io_dir', 'string', "'read' for events that read from FDs, 'write' for writes.", (c) => {
    const f = FLAGS_0293[c.ev.type] ?? 0
    if ((f & IO_WRITE) !== 0) return 'write'
    if ((f & IO_READ) !== 0) return 'read'
    return undefined
  }),
  field(
    'evt.is_wait',
    'bool',
    "'true' for events that make the thread wait.",
    (c) => ((FLAGS_0293[c.ev.type] ?? 0) & EF.WAITS) !== 0,
    { render: boolRender }
  ),
  field(
    'evt.buffer',
    'bytes',
    'the binary data buffer of I/O events.',
    (c) => {
      const i = named(c, 'data')
      return i < 0 ? undefined : c.ev.bytes(i)
    },
    // Printed like sysdig: the first 80 bytes, non-printable ones as '.'.
    { render: (v) => (v instanceof Uint8Array ? bytebufText(v, 0, v.length, 'normal', 80) : String(v)) }
  ),
  ...BUFLEN_VARIANTS.map((v) =>
    field(
      v === '' ? 'evt.buflen' : `evt.buflen.${v}`,
      'uint',
      `the length of the binary data buffer (the result of I/O exits)${v === '' ? '' : ` (${v} only)`}.`,
      (c) => {
        const r = evtBuflen(c.ev, c.fdinfo?.type, v)
        return r === undefined ? undefined : Number(r)
      }
    )
  ),
  field(
    'evt.category',
    'string',
    "the event category (e.g. 'file', 'net', 'process'); I/O events take it from their fd.",
    (c) => evtCategory(c.ev, c.fdinfo?.type)
  ),
  field('evt.count', 'uint', 'always 1.', () => 1),
  field(
    'evt.is_open_read',
    'bool',
    "'true' for open/openat events opened for reading.",
    (c) => {
      const f = openFlags(c)
      return f !== undefined && (f & PPM_O_RDONLY) !== 0
    },
    { render: boolRender }
  ),
  field(
    'evt.is_open_write',
    'bool',
    "'true' for open/openat events opened for writing.",
    (c) => {
      const f = openFlags(c)
      return f !== undefined && (f & PPM_O_WRONLY) !== 0
    },
    { render: boolRender }
  ),
  field(
    'evt.is_open_exec',
    'bool',
    "'true' for open/openat events creating executable files.",
    (c) => evtIsOpen(c.ev, 'exec') === 'true',
    { render: boolRender }
  ),
  field(
    'evt.is_syslog',
    'bool',
    "'true' for writes to /dev/log.",
    (c) => {
      const f = c.fdinfo
      return f !== undefined && f.name === '/dev/log' && ((FLAGS_0293[c.ev.type] ?? 0) & IO_WRITE) !== 0
    },
    { render: boolRender }
  )
]
