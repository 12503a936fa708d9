import type { FieldDef, FieldType, FieldValue } from '../filter/field-registry'
import type { EventContext } from './event-context'

export type Def = FieldDef<EventContext>
type Extract = (c: EventContext, arg?: string | number) => FieldValue | undefined

/** Shorthand for a field definition. */
export function field(
  name: string,
  type: FieldType,
  desc: string,
  extract: Extract,
  more: Partial<Omit<Def, 'name' | 'type' | 'desc' | 'extract'>> = {}
): Def {
  return { name, type, desc, arg: 'none', extract, ...more }
}

export function boolRender(v: FieldValue): string {
  return v === true ? 'true' : v === false ? 'false' : String(v)
}
