// Test double of the field registry built from ../shared/spec/fields_catalog.tsv: every libs field name,
// type and flag, no values (extract always reports "missing"). Lets the official rules be type-checked
// without the real field layer.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FieldDef, FieldRegistry } from '../../src-main/engine/filter/index'
import { fieldTypeFromLibs } from '../../src-main/engine/filter/index'

export const SHARED = path.resolve(__dirname, '../../../shared')

const ANCESTOR_FIELDS = new Set([
  'proc.aname',
  'proc.apid',
  'proc.aexe',
  'proc.aexepath',
  'proc.acmdline',
  'proc.aenv',
  'proc.aargs'
])
const EITHER_FIELDS = new Set(['fd.ip', 'fd.port', 'fd.net', 'fd.proto'])

export function catalogRegistry(): FieldRegistry<unknown> {
  const byName = new Map<string, FieldDef<unknown>>()
  const tsv = readFileSync(path.join(SHARED, 'spec/fields_catalog.tsv'), 'utf8')
  for (const line of tsv.split('\n').slice(1)) {
    const [name, type, flags = ''] = line.split('\t')
    // container-plugin fields come from the docs without flags; some take an argument
    // (container.mount.dest[/var]), so allow one there
    if (name === undefined || name === '' || type === undefined) continue
    const def: FieldDef<unknown> = {
      name,
      type: fieldTypeFromLibs(type),
      desc: '',
      arg: flags.includes('EPF_ARG_REQUIRED')
        ? 'required'
        : flags.includes('EPF_ARG_ALLOWED') || flags === ''
          ? 'optional'
          : 'none',
      isList: flags.includes('EPF_IS_LIST'),
      filterOnly: flags.includes('EPF_FILTER_ONLY'),
      noRhs: flags.includes('EPF_NO_RHS'),
      noTransformer: flags.includes('EPF_NO_TRANSFORMER'),
      extract: () => undefined
    }
    if (ANCESTOR_FIELDS.has(name)) def.multi = 'any'
    if (EITHER_FIELDS.has(name)) def.multi = 'either'
    byName.set(name, def)
  }
  return {
    // evt.arg.NAME, evt.rawarg.NAME, evt.type.is.NAME resolve through the filter's dotted-argument rule
    lookup: (name) => byName.get(name),
    all: () => byName.values()
  }
}
