/** The field registry rules are checked and compiled against: the syscall fields of src-main/engine/fields. */
import type { FieldRegistry } from '../filter/field-registry'
import type { EventContext } from '../fields/event-context'
import { FIELDS } from '../fields/registry'

export function fieldRegistry(): FieldRegistry<EventContext> | undefined {
  return FIELDS
}
