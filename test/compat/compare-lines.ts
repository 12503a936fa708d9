/**
 * Line-by-line comparison of two outputs (bytes, split on '\n' only: fields may hold other line breaks).
 * Lines are matched in order; when the counts differ, a longest-common-subsequence alignment (by evt.num
 * prefix, then whole line) pairs them so one missing line does not shift every later one.
 */
export interface Comparison {
  total: number
  same: number
  /** lines we print that sysdig does not */
  extra: number
  /** disagreements per field name (tab-separated formats) or under 'line' */
  byField: Record<string, number>
  examples: Record<string, { expected: string; actual: string }[]>
}

const MAX_EXAMPLES = 3

function split(b: Buffer): string[] {
  const s = b.toString('utf8')
  const parts = s.split('\n')
  if (parts[parts.length - 1] === '') parts.pop()
  return parts
}

function key(line: string): string {
  const m = /^\d+/.exec(line)
  return m === null ? line : m[0]
}

/** Pairs expected/actual lines; unmatched lines pair with undefined. */
function align(exp: string[], act: string[]): [string | undefined, string | undefined][] {
  if (exp.length === act.length) return exp.map((e, i) => [e, act[i]])
  const byKey = new Map<string, number[]>()
  act.forEach((l, i) => {
    const k = key(l)
    const list = byKey.get(k) ?? []
    list.push(i)
    byKey.set(k, list)
  })
  const used = new Set<number>()
  const pairs: [string | undefined, string | undefined][] = []
  let cursor = 0
  for (const e of exp) {
    const cand = (byKey.get(key(e)) ?? []).find((i) => i >= cursor && !used.has(i))
    if (cand === undefined) {
      pairs.push([e, undefined])
      continue
    }
    for (let i = cursor; i < cand; i++) if (!used.has(i)) pairs.push([undefined, act[i]])
    used.add(cand)
    cursor = cand + 1
    pairs.push([e, act[cand]])
  }
  for (let i = cursor; i < act.length; i++) if (!used.has(i)) pairs.push([undefined, act[i]])
  return pairs
}

export function compareLines(expected: Buffer, actual: Buffer, fieldNames: string[] | undefined): Comparison {
  const exp = split(expected)
  const act = split(actual)
  const c: Comparison = { total: exp.length, same: 0, extra: 0, byField: {}, examples: {} }
  const note = (field: string, e: string, a: string): void => {
    c.byField[field] = (c.byField[field] ?? 0) + 1
    const list = (c.examples[field] ??= [])
    if (list.length < MAX_EXAMPLES) list.push({ expected: e, actual: a })
  }
  for (const [e, a] of align(exp, act)) {
    if (e === undefined) {
      c.extra++
      note('extra line', '', a ?? '')
      continue
    }
    if (a === undefined) {
      note('missing line', e, '')
      continue
    }
    if (e === a) {
      c.same++
      continue
    }
    if (fieldNames === undefined) {
      note('line', e, a)
      continue
    }
    const ef = e.split('\t')
    const af = a.split('\t')
    for (let i = 0; i < Math.max(ef.length, af.length); i++) {
      if (ef[i] !== af[i]) note(fieldNames[i] ?? `column ${i + 1}`, e, a)
    }
  }
  return c
}
