/**
 * Escaping of capture strings (hostile by assumption: process names, command lines, paths and rule outputs
 * are attacker-controlled) for HTML and Markdown. Control characters and Unicode direction overrides are
 * made visible first, so nothing hides text or reorders it on screen.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate characters.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

function hex(c: string): string {
  const n = c.charCodeAt(0)
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`
}

/** Control and direction characters as \xNN / \uNNNN; `oneLine` also turns tab and newline into \t and \n. */
export function visible(s: string, oneLine = true): string {
  const t = s.replace(INVISIBLE, hex)
  return oneLine ? t.replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n') : t
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML element content and attribute values. */
export function html(s: string, oneLine = true): string {
  return visible(s, oneLine).replace(/[&<>"']/g, (c) => HTML[c] ?? c)
}

/**
 * Inline Markdown text (paragraphs, list items, table cells): HTML-escaped, with the characters Markdown would
 * act on backslash-escaped, and `|` escaped so a table cell cannot be split.
 */
export function md(s: string): string {
  return visible(s)
    .replace(/[&<>]/g, (c) => HTML[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
}

/** A fenced code block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function mdFence(text: string, info = 'text'): string {
  const body = visible(text, false)
  let longest = 0
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${info}\n${body}\n${fence}`
}

/** A fenced block of one-line items: each item's own newlines are shown as \n, so no item fakes a line. */
export function mdFenceLines(lines: readonly string[], info = 'text'): string {
  return mdFence(lines.map((l) => visible(l)).join('\n'), info)
}

/** Inline code span that holds any text (Markdown's rule: a longer backtick run than inside, padded). */
export function mdCode(s: string): string {
  const body = visible(s).replace(/\|/g, '\\|')
  let longest = 0
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  const ticks = '`'.repeat(longest + 1)
  return `${ticks} ${body} ${ticks}`
}
