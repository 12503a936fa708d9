/**
 * A small JSON Schema (draft-07) validator for the subset docs/report.schema.json uses: $ref to
 * #/definitions, type (incl. arrays of types), const, enum, pattern, minimum, properties, required,
 * additionalProperties, items, oneOf, anyOf. A keyword outside the subset is an error, so the schema cannot
 * silently rely on something this checker ignores.
 */
type Schema = Record<string, unknown>

const IGNORED = new Set(['$schema', '$id', 'title', 'description', 'definitions'])
const KNOWN = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'pattern',
  'minimum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'oneOf',
  'anyOf'
])

function typeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function typeMatches(v: unknown, t: string): boolean {
  const a = typeOf(v)
  return a === t || (t === 'number' && a === 'integer')
}

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = []
  const resolve = (ref: string): Schema => {
    const m = /^#\/definitions\/(.+)$/.exec(ref)
    const defs = root.definitions as Record<string, Schema> | undefined
    const s = m === null ? undefined : defs?.[m[1] ?? '']
    if (s === undefined) throw new Error(`unresolvable $ref ${ref}`)
    return s
  }
  const check = (s: Schema, v: unknown, path: string, out: string[]): void => {
    for (const k of Object.keys(s))
      if (!KNOWN.has(k) && !IGNORED.has(k))
        throw new Error(`schema keyword '${k}' at ${path} is not supported`)
    if (typeof s.$ref === 'string') check(resolve(s.$ref), v, path, out)
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
      if (!types.some((t) => typeMatches(v, t))) {
        out.push(`${path}: ${typeOf(v)} is not ${types.join('|')}`)
        return
      }
    }
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v))
      out.push(`${path}: not ${JSON.stringify(s.const)}`)
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
      out.push(`${path}: ${JSON.stringify(v)} not in enum`)
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern, 'u').test(v))
      out.push(`${path}: '${v.slice(0, 80)}' does not match ${s.pattern}`)
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
      out.push(`${path}: ${String(v)} < ${String(s.minimum)}`)
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>
      const props = (s.properties ?? {}) as Record<string, Schema>
      for (const r of (s.required ?? []) as string[]) if (!(r in obj)) out.push(`${path}: missing ${r}`)
      for (const [k, x] of Object.entries(obj)) {
        const p = props[k]
        if (p !== undefined) check(p, x, `${path}.${k}`, out)
        else if (s.additionalProperties === false) out.push(`${path}: unexpected property ${k}`)
        else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null)
          check(s.additionalProperties as Schema, x, `${path}.${k}`, out)
      }
    }
    if (Array.isArray(v) && typeof s.items === 'object' && s.items !== null)
      v.forEach((x, i) => {
        check(s.items as Schema, x, `${path}[${String(i)}]`, out)
      })
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = s[key]
      if (!Array.isArray(list)) continue
      const passing = (list as Schema[]).filter((alt) => {
        const sub: string[] = []
        check(alt, v, path, sub)
        return sub.length === 0
      }).length
      if (key === 'oneOf' ? passing !== 1 : passing === 0)
        out.push(`${path}: ${key} matched ${String(passing)} alternatives`)
    }
  }
  check(root, value, '$', errors)
  return errors
}
