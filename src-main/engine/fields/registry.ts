import type { FieldDef, FieldRegistry } from '../filter/field-registry'
import { CONTAINER_FIELDS } from './container-fields'
import type { EventContext } from './event-context'
import { EVT_FIELDS } from './evt-fields'
import { EXTRA_FIELDS } from './extra-fields'
import { FD_FIELDS } from './fd-fields'
import { PROC_FIELDS } from './proc-fields'
import { USER_FIELDS } from './user-fields'

const ALL: FieldDef<EventContext>[] = [
  ...EVT_FIELDS,
  ...PROC_FIELDS,
  ...FD_FIELDS,
  ...USER_FIELDS,
  ...CONTAINER_FIELDS,
  ...EXTRA_FIELDS
]
const BY_NAME = new Map<string, FieldDef<EventContext>>()
for (const d of ALL) BY_NAME.set(d.name, d)

/** Every field sysdig-compatible output and Falco rules use, over EventContext. */
export const FIELDS: FieldRegistry<EventContext> = {
  lookup: (name) => BY_NAME.get(name),
  all: () => BY_NAME.values()
}
