/**
 * The field registry rules are checked and compiled against: the syscall fields of src-main/engine/fields,
 * plus the few fields Falco's rules files use that sysdig 0.29.3 has no extractor for in our registry:
 * `k8s.pod.name` / `k8s.ns.name` (read, as libs does, from the container's Kubernetes labels) and
 * `thread.cap_*` (capability sets, which 2016–2022 captures do not record: always missing, so checks on them
 * are false and outputs print <NA>).
 */
import type { FieldDef, FieldRegistry } from '../filter/field-registry'
import type { EventContext } from '../fields/event-context'
import { FIELDS } from '../fields/registry'

function label(c: EventContext, key: string): string | undefined {
  const t = c.tinfo
  if (t === undefined || t.containerId === '') return undefined
  const json = c.state.containers.get(t.containerId)?.json
  const labels = json?.labels ?? json?.Labels
  if (typeof labels !== 'object' || labels === null) return undefined
  const v = (labels as Record<string, unknown>)[key]
  return typeof v === 'string' && v !== '' ? v : undefined
}

const unknownOffline = (name: string, desc: string): FieldDef<EventContext> => ({
  name,
  type: 'string',
  desc,
  arg: 'none',
  extract: () => undefined
})

const EXTRA: FieldDef<EventContext>[] = [
  {
    name: 'k8s.pod.name',
    type: 'string',
    desc: 'the Kubernetes pod name (container label io.kubernetes.pod.name).',
    arg: 'none',
    extract: (c) => label(c, 'io.kubernetes.pod.name')
  },
  {
    name: 'k8s.ns.name',
    type: 'string',
    desc: 'the Kubernetes namespace (container label io.kubernetes.pod.namespace).',
    arg: 'none',
    extract: (c) => label(c, 'io.kubernetes.pod.namespace')
  },
  unknownOffline(
    'thread.cap_permitted',
    'permitted capabilities of the thread (not recorded in these captures).'
  ),
  unknownOffline(
    'thread.cap_effective',
    'effective capabilities of the thread (not recorded in these captures).'
  ),
  unknownOffline(
    'thread.cap_inheritable',
    'inheritable capabilities of the thread (not recorded in these captures).'
  )
]

const EXTRA_BY_NAME = new Map(EXTRA.map((d) => [d.name, d]))

export const RULE_FIELDS: FieldRegistry<EventContext> = {
  lookup: (name) => FIELDS.lookup(name) ?? EXTRA_BY_NAME.get(name),
  all: () => [...FIELDS.all(), ...EXTRA.filter((d) => FIELDS.lookup(d.name) === undefined)]
}

export function fieldRegistry(): FieldRegistry<EventContext> | undefined {
  return RULE_FIELDS
}
