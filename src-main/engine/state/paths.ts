/**
 * Path joining exactly as sinsp 0.29.3's concatenate_paths / copy_and_sanitize_path: `.` and `..`
 * segments are folded (`..` may climb into the base), repeated `/` collapse, a trailing `/` is dropped,
 * and non-printable bytes become '.'. Strings are handled as one char per byte (decode params as latin1).
 */

/** A path needing the slow walk: odd bytes, '//', '.' or '..' segments, or a trailing '/'. */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\x00-\x1f\x7f-\uffff]|\/\/|(^|\/)\.\.?(\/|$)|\/$/
/** A base the fast path can append to: absolute, ends with '/', no odd bytes or dot segments. */
// eslint-disable-next-line no-control-regex
const SPECIAL_BASE = /^[^/]|[\x00-\x1f\x7f-\uffff]|\/\/|(^|\/)\.\.?(\/|$)|[^/]$/

function invalid(c: number): boolean {
  return c < 0x20 || c >= 0x7f
}

/** Appends the sanitised `path` to `base` (already in the output), folding dots against the whole output. */
function copySanitized(out: string[], path: string): void {
  let pc = 0
  const n = path.length
  const sep = '/'
  for (;;) {
    if (pc >= n || path.charCodeAt(pc) === 0) {
      if (out.length > 1 && out[out.length - 1] === sep) out.pop()
      return
    }
    const c = path.charCodeAt(pc)
    if (invalid(c)) {
      out.push('.')
      pc++
      continue
    }
    const ch = path[pc] as string
    const prev = out.length === 0 ? undefined : out[out.length - 1]
    if (ch === '.' && (out.length === 0 || prev === sep)) {
      const c1 = path[pc + 1]
      const c2 = path[pc + 2]
      if (c1 === '.' && c2 === sep) {
        rewind(out)
        pc += 3
      } else if (c1 === '.' && (c2 === undefined || c2 === '\0')) {
        rewind(out)
        pc += 2
      } else if (c1 === sep) {
        pc += 2
      } else if (c1 === undefined || c1 === '\0') {
        pc++
      } else {
        out.push(ch)
        pc++
      }
    } else if (ch === sep) {
      if (out.length > 0 && prev === sep) pc++
      else {
        out.push(ch)
        pc++
      }
    } else {
      out.push(ch)
      pc++
    }
  }
}

/** sinsp rewind_to_parent_path: drop the last segment (keeping its leading '/'), never below the root. */
function rewind(out: string[]): void {
  if (out.length <= 1) return
  out.pop()
  while (out.length >= 1 && out[out.length - 1] !== '/') out.pop()
}

/**
 * `base` + `path` as sinsp joins them. An absolute `path` (or empty) ignores the base. The result for
 * relative paths keeps `base` verbatim (not sanitised), then folds `path` into it.
 */
export function concatPaths(base: string, path: string): string {
  // Fast path: nothing to fold or sanitise (the common case).
  if (path.length !== 0 && !SPECIAL.test(path)) {
    if (path.charCodeAt(0) === 47) return path
    if (base.length !== 0 && !SPECIAL_BASE.test(base)) return base + path
  }
  const out: string[] = []
  if (path.length !== 0 && path[0] !== '/') {
    for (let i = 0; i < base.length; i++) out.push(base[i] as string)
  }
  copySanitized(out, path)
  return out.join('')
}

/** True when concatPaths would use the base (sinsp's return value: the path was relative). */
export function isRelative(path: string): boolean {
  return path.length !== 0 && path[0] !== '/'
}

/** A cwd as sinsp stores it: joined like a path and always ending with '/'. */
export function normaliseCwd(base: string, path: string): string {
  const p = concatPaths(base, path)
  return p.length !== 0 && !p.endsWith('/') ? p + '/' : p
}
