// fnmatch(3) without FNM_PATHNAME/FNM_PERIOD, as libs uses for `glob`/`iglob` and pmatch components:
// `*` matches any run (slashes and leading dots included), `?` one character, `[...]`/`[!...]`/`[^...]`
// classes with ranges, `\x` a literal x. Matching is iterative (backtracks only to the last `*`), so it
// runs in O(len(text) × len(pattern)) worst case, never exponential.

type Tok =
  | { t: 'lit'; c: string }
  | { t: 'any' }
  | { t: 'star' }
  | { t: 'class'; negate: boolean; ranges: [string, string][] }

function tokenize(p: string): Tok[] {
  const out: Tok[] = []
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i)
    if (c === '*') {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' })
    } else if (c === '?') out.push({ t: 'any' })
    else if (c === '\\' && i + 1 < p.length) out.push({ t: 'lit', c: p.charAt(++i) })
    else if (c === '[') {
      const cls = parseClass(p, i)
      if (cls === undefined) out.push({ t: 'lit', c })
      else {
        out.push(cls.tok)
        i = cls.end
      }
    } else out.push({ t: 'lit', c })
  }
  return out
}

function parseClass(p: string, open: number): { tok: Tok; end: number } | undefined {
  let i = open + 1
  let negate = false
  if (p.charAt(i) === '!' || p.charAt(i) === '^') {
    negate = true
    i++
  }
  const ranges: [string, string][] = []
  let first = true
  while (i < p.length) {
    let c = p.charAt(i)
    if (c === ']' && !first) return { tok: { t: 'class', negate, ranges }, end: i }
    first = false
    if (c === '\\' && i + 1 < p.length) c = p.charAt(++i)
    if (p.charAt(i + 1) === '-' && i + 2 < p.length && p.charAt(i + 2) !== ']') {
      let hi = p.charAt(i + 2)
      i += 2
      if (hi === '\\' && i + 1 < p.length) hi = p.charAt(++i)
      ranges.push([c, hi])
    } else ranges.push([c, c])
    i++
  }
  return undefined // no closing bracket: '[' is a literal
}

function matchTok(tok: Tok, c: string): boolean {
  switch (tok.t) {
    case 'lit':
      return tok.c === c
    case 'any':
      return true
    case 'class': {
      let hit = false
      for (const [lo, hi] of tok.ranges) {
        if (c >= lo && c <= hi) {
          hit = true
          break
        }
      }
      return hit !== tok.negate
    }
    case 'star':
      return false
  }
}

function matchTokens(toks: readonly Tok[], s: string): boolean {
  let ti = 0
  let si = 0
  let starTi = -1
  let starSi = 0
  while (si < s.length) {
    const tok = toks[ti]
    if (tok !== undefined && tok.t === 'star') {
      starTi = ti++
      starSi = si
    } else if (tok !== undefined && matchTok(tok, s.charAt(si))) {
      ti++
      si++
    } else if (starTi >= 0) {
      ti = starTi + 1
      si = ++starSi
    } else return false
  }
  while (toks[ti]?.t === 'star') ti++
  return ti === toks.length
}

export function hasGlobChars(s: string): boolean {
  return /[*?[\\]/.test(s)
}

function asciiLowerAll(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s
}

/** Compiles a pattern to a predicate over the whole string. */
export function compileGlob(pattern: string, caseInsensitive = false): (s: string) => boolean {
  const p = caseInsensitive ? asciiLowerAll(pattern) : pattern
  const norm = (s: string): string => (caseInsensitive ? asciiLowerAll(s) : s)
  // cheap shapes first: literal, prefix*, *suffix, *middle*
  if (!hasGlobChars(p)) return (s) => norm(s) === p
  const inner = p.slice(1, -1)
  if (p.length >= 2 && p.startsWith('*') && p.endsWith('*') && !hasGlobChars(inner)) {
    return (s) => norm(s).includes(inner)
  }
  const head = p.slice(0, -1)
  if (p.endsWith('*') && !hasGlobChars(head)) return (s) => norm(s).startsWith(head)
  const tail = p.slice(1)
  if (p.startsWith('*') && !hasGlobChars(tail)) return (s) => norm(s).endsWith(tail)
  const star = p.indexOf('*')
  if (
    star > 0 &&
    star < p.length - 1 &&
    !hasGlobChars(p.slice(0, star)) &&
    !hasGlobChars(p.slice(star + 1))
  ) {
    const pre = p.slice(0, star)
    const post = p.slice(star + 1)
    const min = pre.length + post.length
    return (s) => {
      const t = norm(s)
      return t.length >= min && t.startsWith(pre) && t.endsWith(post)
    }
  }
  const toks = tokenize(p)
  return (s) => matchTokens(toks, norm(s))
}

export { asciiLowerAll }
