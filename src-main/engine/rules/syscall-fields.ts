/**
 * The field registry rules are checked and compiled against: the syscall fields of src-main/engine/fields.
 * Until that registry exists, loading checks structure, lists, macros and event types only.
 */
import type { FieldRegistry } from '../filter/field-registry'
import type { EventContext } from '../fields/event-context'

export function fieldRegistry(): FieldRegistry<EventContext> | undefined {
  return undefined
}
