/**
 * evt.abspath (and .src / .dst) and evt.is_open_read / _write / _exec as sysdig 0.29.3 computes them.
 *
 * evt.abspath joins an *at syscall's path with its directory fd: the thread's cwd for AT_FDCWD, the dirfd's
 * fd name plus `/` otherwise (`<UNKNOWN>/` when the fd is not known), nothing for absolute paths; then the
 * same normalisation as every other path (path-text.ts). `.src` is the first path of two-path syscalls
 * (renameat, linkat: old…), `.dst` the second (new…), or the only one; plain evt.abspath is the first.
 */
import type { ScapEvent } from '../capture/scap-event'
import { argIndex } from './evt-info'
import { concatenatePaths } from './path-text'
import type { RenderContext } from './render-context'

const AT_FDCWD = -100

type Pair = readonly [dirfd: string, path: string]
/** Per event code: [first pair, second pair]. Codes of 0.29.3's table. */
const ABSPATH_ARGS: Readonly<Record<number, readonly [Pair, Pair | null]>> = {
  177: [
    ['olddirfd', 'oldpath'],
    ['newdirfd', 'newpath']
  ], // renameat X
  319: [
    ['olddirfd', 'oldpath'],
    ['newdirfd', 'newpath']
  ], // renameat2 X
  181: [['linkdirfd', 'linkpath'], null], // symlinkat X
  102: [['dirfd', 'name'], null], // openat E
  307: [['dirfd', 'name'], null], // openat X (2)
  327: [['dirfd', 'name'], null], // openat2 X
  106: [
    ['olddir', 'oldpath'],
    ['newdir', 'newpath']
  ], // linkat E
  311: [
    ['olddir', 'oldpath'],
    ['newdir', 'newpath']
  ], // linkat X (2)
  110: [['dirfd', 'name'], null], // unlinkat E
  303: [['dirfd', 'name'], null], // unlinkat X (2)
  305: [['dirfd', 'path'], null], // mkdirat X
  313: [['dirfd', 'filename'], null] // fchmodat X
}

/** which: 'src' (also plain evt.abspath) or 'dst'. undefined where sysdig prints <NA>. */
export function evtAbspath(
  ev: ScapEvent,
  ctx: RenderContext,
  which: 'src' | 'dst' = 'src'
): string | undefined {
  if (!ctx.hasThread) return undefined
  const pairs = ABSPATH_ARGS[ev.type]
  if (pairs === undefined) return undefined
  // Single-path syscalls answer .dst with their only path.
  const pair = which === 'dst' ? (pairs[1] ?? pairs[0]) : pairs[0]
  const di = argIndex(ev, pair[0])
  const pi = argIndex(ev, pair[1])
  if (di < 0 || pi < 0 || (ev.pLen[di] ?? 0) < 8) return undefined
  const b = ev.buf
  const doff = ev.pOff[di] ?? 0
  const dirfd = b.readInt32LE(doff + 4) * 4294967296 + b.readUInt32LE(doff)
  const path = b.subarray(ev.pOff[pi] ?? 0, (ev.pOff[pi] ?? 0) + (ev.pLen[pi] ?? 0))
  let base: string
  if (path[0] === 0x2f) base = '.'
  else if (dirfd === AT_FDCWD) base = ctx.cwd()
  else {
    const f = ctx.fd(dirfd)
    base = f === undefined ? '<UNKNOWN>/' : f.name + '/'
  }
  return concatenatePaths(base, path).text
}

const PPM_O_RDONLY = 1
const PPM_O_WRONLY = 2
const PPM_O_CREAT = 4
const PPM_O_TMPFILE = 0x2000
const EXEC_BITS = 0o111

/** [flags param index, mode param index] of the open events is_open_* look at. */
const OPEN_ARGS: Readonly<Record<number, readonly [number, number]>> = {
  3: [2, 3], // open X
  102: [2, 3], // openat E
  307: [3, 4], // openat X (2)
  327: [3, 4] // openat2 X
}

function u32At(ev: ScapEvent, i: number): number | undefined {
  if (i >= ev.nparams || (ev.pLen[i] ?? 0) < 4) return undefined
  return ev.buf.readUInt32LE(ev.pOff[i] ?? 0)
}

/** evt.is_open_read / _write / _exec: `true`/`false` (false for every other event). */
export function evtIsOpen(ev: ScapEvent, what: 'read' | 'write' | 'exec'): string {
  const a = OPEN_ARGS[ev.type]
  if (a === undefined) return 'false'
  const flags = u32At(ev, a[0])
  if (flags === undefined) return 'false'
  if (what === 'read') return (flags & PPM_O_RDONLY) !== 0 ? 'true' : 'false'
  if (what === 'write') return (flags & PPM_O_WRONLY) !== 0 ? 'true' : 'false'
  if ((flags & (PPM_O_TMPFILE | PPM_O_CREAT)) === 0) return 'false'
  const mode = u32At(ev, a[1])
  return mode !== undefined && (mode & EXEC_BITS) !== 0 ? 'true' : 'false'
}
