/**
 * Text clean-up and path joining exactly as libsinsp 2022 does them for rendering (and for fd names, which the
 * state engine builds the same way):
 * - `sanitizeText`: drops every byte that is not printable ASCII (0x20–0x7E), as `sanitize_string` does; a
 *   multi-byte UTF-8 character is dropped whole.
 * - `concatenatePaths`: joins a relative path to a base directory and normalises it (`.`/`..` segments, repeated
 *   and trailing `/`), replacing each non-printable byte of the path with `.`, as `concatenate_paths` does.
 */

/** True for the bytes sinsp keeps (isprint in the C locale). */
function printable(c: number): boolean {
  return c >= 0x20 && c <= 0x7e
}

/** Removes non-printable characters (anything outside 0x20–0x7E). */
export function sanitizeText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return s.replace(/[^\x20-\x7e]/g, '')
  }
  return s
}

/**
 * sinsp's strcpy_sanitized of a path parameter: copies printable bytes until a NUL, counting only the bytes it
 * keeps, and stops once it has kept `len` (the parameter length) of them, dropping the last one. A parameter
 * without its NUL is thus read on into the following bytes of the event (`end`), as the C code does.
 */
export function sanitizedCString(b: Buffer, off: number, len: number, end = off + len): string {
  let out = ''
  let kept = 0
  for (let p = off; kept < len; p++) {
    const c = p < end ? (b[p] ?? 0) : 0
    if (c === 0) return out
    if (printable(c)) {
      out += String.fromCharCode(c)
      kept++
    }
  }
  return out.slice(0, -1)
}

const SLASH = 0x2f
const DOT = 0x2e

/**
 * Appends `path` (a C string: stops at NUL) to `target` starting at `base`, normalising like sinsp's
 * copy_and_sanitize_path. `target` must have room for base + path length + 1. Returns the new length.
 */
function copyAndSanitizePath(target: Uint8Array, start: number, path: Uint8Array, pathLen: number): number {
  let tc = start
  let pc = 0
  const at = (k: number): number => (k < pathLen ? (path[k] ?? 0) : 0)
  const rewind = (delta: number): void => {
    if (tc <= 1) {
      pc += delta
      return
    }
    tc--
    while (tc >= 1 && target[tc - 1] !== SLASH) tc--
    pc += delta
  }
  for (;;) {
    const c = at(pc)
    if (c === 0) {
      if (tc > 1 && target[tc - 1] === SLASH) tc--
      return tc
    }
    if (!printable(c)) {
      target[tc++] = DOT
      pc++
    } else if (c === DOT && (tc === 0 || target[tc - 1] === SLASH)) {
      const c1 = at(pc + 1)
      const c2 = at(pc + 2)
      if (c1 === DOT && c2 === SLASH) rewind(3)
      else if (c1 === DOT && c2 === 0) rewind(2)
      else if (c1 === SLASH) pc += 2
      else if (c1 === 0) pc++
      else {
        target[tc++] = c
        pc++
      }
    } else if (c === SLASH) {
      if (tc > 0 && target[tc - 1] === SLASH) pc++
      else {
        target[tc++] = c
        pc++
      }
    } else {
      target[tc++] = c
      pc++
    }
  }
}

/**
 * sinsp's concatenate_paths: when `path` is relative (non-empty, not starting with `/`) the result is
 * base + normalised path and `relative` is true; otherwise the normalised path alone and `relative` false
 * (the renderer then shows no resolved form). `base` is copied as is (sinsp keeps cwds with a trailing `/`).
 */
export function concatenatePaths(base: string, path: Uint8Array): { text: string; relative: boolean } {
  let pathLen = 0
  while (pathLen < path.length && path[pathLen] !== 0) pathLen++
  const baseBytes = Buffer.from(base, 'utf8')
  const relative = pathLen !== 0 && path[0] !== SLASH
  const target = Buffer.alloc(baseBytes.length + pathLen + 2)
  let start = 0
  if (relative) {
    baseBytes.copy(target, 0)
    start = baseBytes.length
  }
  const n = copyAndSanitizePath(target, start, path, pathLen)
  return { text: target.toString('utf8', 0, n), relative }
}
