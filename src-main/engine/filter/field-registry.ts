// THE interface between the filter language and the concrete fields (src-main/engine/fields implements it).
// Generic over the event context type C the fields read from; the filter stage never looks inside C.

/**
 * Value types, after libs' PT_* field types: CHARBUF/FSPATH → 'string', BYTEBUF → 'bytes', INT8..64/PID/FD/
 * ERRNO → 'int', UINT8..64/SYSCALLID → 'uint', DOUBLE → 'double', BOOL → 'bool', IPADDR/IPV4ADDR/IPV6ADDR →
 * 'ipaddr', IPNET → 'ipnet', PORT → 'port', RELTIME → 'reltime', ABSTIME → 'abstime', MODE → 'mode',
 * FLAGS* → 'flags', DYN → 'dyn' (compared as text).
 */
export type FieldType =
  | 'string'
  | 'bytes'
  | 'int'
  | 'uint'
  | 'double'
  | 'bool'
  | 'ipaddr'
  | 'ipnet'
  | 'port'
  | 'reltime'
  | 'abstime'
  | 'mode'
  | 'flags'
  | 'dyn'

/**
 * One extracted scalar, by field type:
 *  string, dyn        → string
 *  bytes              → Uint8Array (a string is accepted too and compared by its char codes)
 *  int, uint, double, port, reltime, abstime, mode, flags → number, or bigint where 2^53 is not enough
 *                       (e.g. abstime in ns); comparisons handle both
 *  bool               → boolean
 *  ipaddr, ipnet      → the address as text: IPv4 dotted quad or IPv6 (any valid form); for an ipnet field
 *                       the value is the address the network test is applied to
 */
export type FieldScalar = string | number | bigint | boolean | Uint8Array

/**
 * What `extract` returns: undefined = missing (check false, formatter prints <NA>), a scalar, or for
 * `isList`/`multi` fields an array of scalars.
 */
export type FieldValue = FieldScalar | readonly FieldScalar[]

export interface FieldDef<C> {
  /** full name as written in conditions, e.g. 'proc.name', 'evt.arg.flags' */
  name: string
  type: FieldType
  desc: string
  /** bracket argument: `proc.aname[2]`, `proc.env[HOME]`, `container.mount.dest[/var]` */
  arg: 'none' | 'optional' | 'required'
  /**
   * How the bracket argument is passed (default 'key'): 'index' = must be a non-negative decimal integer,
   * reaches `extract` as a number; 'key' = reaches it as the string; 'auto' = an all-digit argument
   * reaches it as a number, anything else as the string (evt.arg[0] and evt.arg.name).
   */
  argKind?: 'index' | 'key' | 'auto'
  /**
   * The value is a real list (libs EPF_IS_LIST, e.g. fd.types): `in` = every element is in the set,
   * `intersects` = some element is; `exists`; other operators are rejected.
   */
  isList?: boolean
  /**
   * The field yields several candidate values (an array from `extract`) and a check is true when ANY
   * candidate satisfies it: 'any' for proc.aname & co. without index (every operator, `!=` included, is
   * "some ancestor satisfies"), 'either' for fd.ip/fd.port/fd.net/fd.proto (either endpoint; `!=` means
   * "no endpoint equals"). An empty array counts as missing.
   */
  multi?: 'any' | 'either'
  /**
   * libs flags that restrict use: filterOnly (no output, e.g. fd.net), noRhs (cannot be compared to / be
   * another field), noTransformer.
   */
  filterOnly?: boolean
  noRhs?: boolean
  noTransformer?: boolean
  /**
   * Returns the value for this event, undefined when it does not apply. `arg` is the bracket argument
   * (number for argKind 'index' and for all-digit 'auto' arguments, string otherwise; undefined when none was
   * written).
   */
  extract(ctx: C, arg?: string | number): FieldValue | undefined
  /**
   * Optional fast path: pre-bind the argument once at compile time. Must behave like
   * `ctx => extract(ctx, arg)`.
   */
  bind?(arg?: string | number): (ctx: C) => FieldValue | undefined
  /**
   * Optional validation of the argument (after the index/key conversion): returns an error message when it
   * can never be valid (e.g. `evt.arg.nosuch` when no event has a parameter of that name).
   */
  checkArg?(arg: string | number): string | undefined
  /**
   * Optional extra validation of a constant compared with this field (e.g. evt.type names): returns an error
   * message when `value` can never be a value of the field, undefined when fine.
   */
  checkValue?(value: string): string | undefined
  /** sysdig's text form of a value (for -p output); default: String(), arrays joined with ' ' */
  render?(value: FieldValue): string
}

export interface FieldRegistry<C> {
  /** full field name without bracket argument; undefined when unknown */
  lookup(name: string): FieldDef<C> | undefined
  all(): Iterable<FieldDef<C>>
}

/** Maps libs type names (fields_catalog.tsv column 2) to FieldType. */
export function fieldTypeFromLibs(t: string): FieldType {
  const u = t.toUpperCase()
  if (u === 'CHARBUF' || u === 'FSPATH' || u === 'FSRELPATH') return 'string'
  if (u === 'BYTEBUF') return 'bytes'
  if (u === 'BOOL') return 'bool'
  if (u === 'DOUBLE') return 'double'
  if (u === 'IPADDR' || u === 'IPV4ADDR' || u === 'IPV6ADDR') return 'ipaddr'
  if (u === 'IPNET' || u === 'IPV4NET' || u === 'IPV6NET') return 'ipnet'
  if (u === 'PORT') return 'port'
  if (u === 'RELTIME') return 'reltime'
  if (u === 'ABSTIME') return 'abstime'
  if (u === 'MODE') return 'mode'
  if (u.startsWith('FLAGS') || u.startsWith('ENUMFLAGS')) return 'flags'
  if (u === 'DYN') return 'dyn'
  if (u.startsWith('INT') || u === 'PID' || u === 'FD' || u === 'ERRNO') return 'int'
  if (u.startsWith('UINT') || u === 'SYSCALLID' || u === 'SIGTYPE') return 'uint'
  return 'string'
}

/** A registry over a fixed array of definitions (convenient for implementations and tests). */
export function makeRegistry<C>(defs: readonly FieldDef<C>[]): FieldRegistry<C> {
  const byName = new Map<string, FieldDef<C>>()
  for (const d of defs) byName.set(d.name, d)
  return { lookup: (name) => byName.get(name), all: () => byName.values() }
}
