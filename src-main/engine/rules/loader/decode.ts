/**
 * Typed access to YAML mapping values with Falco's messages ("Item has no mapping for key 'x'", "Mapping for
 * key 'x' is empty", "Value must be non-empty", "Can't decode YAML scalar value"). Failures throw a LoadError
 * that the collector turns into a diagnostic pointing at the key.
 */
import type { ErrorCode } from './diagnostics'
import type { SourcePos, YMap, YNode } from './yaml-reader'

export class LoadError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly pos?: SourcePos
  ) {
    super(message)
  }
}

export function entry(m: YMap, key: string): { value: YNode; keyPos: SourcePos } | undefined {
  for (const e of m.entries) if (e.key === key) return { value: e.value, keyPos: e.keyPos }
  return undefined
}

export function has(m: YMap, key: string): boolean {
  return entry(m, key) !== undefined
}

/** A required non-empty scalar. */
export function reqString(m: YMap, key: string): string {
  const e = entry(m, key)
  if (e === undefined)
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', `Item has no mapping for key '${key}'`, m.pos)
  const v = e.value
  if (v.kind === 'null')
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', `Mapping for key '${key}' is empty`, e.keyPos)
  if (v.kind !== 'scalar') throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a scalar value', v.pos)
  if (v.value === '') throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', v.pos)
  return v.value
}

export function optString(m: YMap, key: string): string | undefined {
  return has(m, key) ? reqString(m, key) : undefined
}

/** yaml-cpp's boolean spellings. */
export function decodeBool(s: string): boolean | undefined {
  if (/^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(s)) return true
  if (/^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(s)) return false
  return undefined
}

export function optBool(m: YMap, key: string): boolean | undefined {
  if (!has(m, key)) return undefined
  const s = reqString(m, key)
  const b = decodeBool(s)
  if (b === undefined)
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", entry(m, key)?.value.pos)
  return b
}

export function optInt(m: YMap, key: string): number | undefined {
  if (!has(m, key)) return undefined
  const s = reqString(m, key)
  if (!/^[+-]?\d+$/.test(s.trim()))
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", entry(m, key)?.value.pos)
  return Number.parseInt(s, 10)
}

/** A sequence of scalars (list `items`, rule `tags`). */
export function stringSeq(m: YMap, key: string, required: boolean): string[] | undefined {
  const e = entry(m, key)
  if (e === undefined) {
    if (required) throw new LoadError('LOAD_ERR_YAML_VALIDATE', `Item has no mapping for key '${key}'`, m.pos)
    return undefined
  }
  const v = e.value
  if (v.kind === 'null')
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', `Mapping for key '${key}' is empty`, e.keyPos)
  if (v.kind !== 'seq') throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', v.pos)
  return v.items.map((it) => {
    if (it.kind !== 'scalar')
      throw new LoadError('LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", it.pos)
    return it.value
  })
}

/** A scalar or a sequence of scalars (exception `fields` and `comps`). */
export function scalarOrSeq(v: YNode): string | string[] {
  if (v.kind === 'scalar') return v.value
  if (v.kind === 'seq')
    return v.items.map((it) => {
      if (it.kind !== 'scalar')
        throw new LoadError('LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", it.pos)
      return it.value
    })
  throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a scalar value or a sequence', v.pos)
}

/** A LoadError about one exception entry (reported with item type `exception` and the exception's name). */
export class ExceptionLoadError extends LoadError {
  constructor(
    readonly exceptionName: string,
    code: ErrorCode,
    message: string,
    pos?: SourcePos
  ) {
    super(code, message, pos)
  }
}
