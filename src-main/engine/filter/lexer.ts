// Scanner for the condition language. The language is context sensitive (the same characters are a bare
// string after `=`, a number after `<`, a field name at the start of a check), so instead of one token
// stream the parser asks for the token kind it expects at the current position.
import type { Range } from './ast'
import { FilterError } from './errors'

const NAME_RE = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*/y
const WORD_RE = /[a-z][a-z0-9_]*/y
const BARE_RE = /[^()"'\s=,\b]+/y
const FIELD_ARG_RE = /[^\]["'\s\b]+/y
const NUMBER_RE = /0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y

const SYMBOL_OPS = ['==', '=', '!=', '<=', '<', '>=', '>'] as const

export function isBlankChar(c: number): boolean {
  // space, \t, \n, \r, \b (the blanks libs accepts between tokens), plus \f and \v for robustness
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 8 || c === 12 || c === 11
}

export interface Token {
  text: string
  range: Range
}

export interface StringToken extends Token {
  /** unescaped value */
  value: string
}

export class Scanner {
  readonly text: string
  pos = 0

  constructor(text: string) {
    this.text = text
  }

  atEnd(): boolean {
    return this.pos >= this.text.length
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset)
  }

  /** Skips blanks; true if at least one was skipped. */
  skipBlanks(): boolean {
    const start = this.pos
    const t = this.text
    while (this.pos < t.length && isBlankChar(t.charCodeAt(this.pos))) this.pos++
    return this.pos > start
  }

  blankAt(pos: number): boolean {
    return pos < this.text.length && isBlankChar(this.text.charCodeAt(pos))
  }

  /** The literal `s` at the current position (not consumed). */
  lookingAt(s: string): boolean {
    return this.text.startsWith(s, this.pos)
  }

  /** Consumes the literal `s` if present. */
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false
    this.pos += s.length
    return true
  }

  /**
   * Keyword `kw` (`and`, `or`, `not`) at the current position followed by a blank or `(`; not consumed.
   */
  keywordAt(kw: string): boolean {
    if (!this.text.startsWith(kw, this.pos)) return false
    const next = this.pos + kw.length
    return next >= this.text.length ? false : this.blankAt(next) || this.text.charAt(next) === '('
  }

  private sticky(re: RegExp): Token | undefined {
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (m === null) return undefined
    const start = this.pos
    this.pos += m[0].length
    return { text: m[0], range: { start, end: this.pos } }
  }

  /** identifier or dotted field name */
  name(): Token | undefined {
    return this.sticky(NAME_RE)
  }

  /** a lowercase word (operator words, modifiers); not consumed unless it matches */
  peekWord(): string | undefined {
    WORD_RE.lastIndex = this.pos
    const m = WORD_RE.exec(this.text)
    return m === null ? undefined : m[0]
  }

  bare(): Token | undefined {
    return this.sticky(BARE_RE)
  }

  number(): Token | undefined {
    return this.sticky(NUMBER_RE)
  }

  fieldArgBare(): Token | undefined {
    return this.sticky(FIELD_ARG_RE)
  }

  /** `=`, `!=`, `<=` … at the current position (consumed). */
  symbolOp(): Token | undefined {
    for (const op of SYMBOL_OPS) {
      if (this.text.startsWith(op, this.pos)) {
        const start = this.pos
        this.pos += op.length
        return { text: op, range: { start, end: this.pos } }
      }
    }
    return undefined
  }

  /**
   * A quoted string starting at the current `"` or `'`. Like libs, the closing quote is the first same
   * quote not immediately preceded by a backslash (so `"a\\"` does not end at its last quote).
   */
  quoted(): StringToken {
    const t = this.text
    const start = this.pos
    const q = t.charAt(start)
    let end = start + 1
    for (;;) {
      end = t.indexOf(q, end)
      if (end < 0) {
        throw new FilterError('FLT_UNTERMINATED_STRING', 'unterminated string', { start, end: t.length }, t)
      }
      if (t.charCodeAt(end - 1) !== 92 /* \ */) break
      end++
    }
    const value = unescape(t, start + 1, end, q)
    this.pos = end + 1
    return { text: t.slice(start, end + 1), value, range: { start, end: this.pos } }
  }

  error(message: string, range?: Range): FilterError {
    const r = range ?? { start: this.pos, end: this.pos + 1 }
    return new FilterError('FLT_SYNTAX', message, r, this.text)
  }
}

function unescape(t: string, from: number, to: number, q: string): string {
  if (t.indexOf('\\', from) < 0 || t.indexOf('\\', from) >= to) return t.slice(from, to)
  let out = ''
  let i = from
  while (i < to) {
    const c = t.charAt(i)
    if (c !== '\\') {
      out += c
      i++
      continue
    }
    const e = t.charAt(i + 1)
    switch (e) {
      case 'b':
        out += '\b'
        break
      case 'f':
        out += '\f'
        break
      case 'n':
        out += '\n'
        break
      case 'r':
        out += '\r'
        break
      case 't':
        out += '\t'
        break
      case '\\':
        out += '\\'
        break
      case '/':
        out += '/'
        break
      case ' ':
        // libs quirk: backslash-space yields a lone backslash and drops the space
        out += '\\'
        break
      case 'x': {
        const hex = t.slice(i + 2, i + 4)
        if (i + 4 > to || !/^[0-9a-fA-F]{2}$/.test(hex)) {
          throw new FilterError(
            'FLT_BAD_ESCAPE',
            'invalid \\x escape',
            { start: i, end: Math.min(i + 4, to) },
            t
          )
        }
        out += String.fromCharCode(parseInt(hex, 16))
        i += 4
        continue
      }
      default:
        if (e === q && i + 1 < to) {
          out += q
          break
        }
        throw new FilterError(
          'FLT_BAD_ESCAPE',
          `invalid escape sequence \\${e}`,
          { start: i, end: Math.min(i + 2, to) },
          t
        )
    }
    i += 2
  }
  return out
}
