/** container.* fields: the thread's container id (from cgroups) and what CONTAINER_* events said. */
import type { ContainerInfo } from '../state/containers'
import { boolRender, field } from './define'
import type { Def } from './define'
import type { EventContext } from './event-context'

function info(c: EventContext): ContainerInfo | undefined {
  const t = c.tinfo
  if (t === undefined || t.containerId === '') return undefined
  return c.state.containers.get(t.containerId)
}

/** A text attribute: undefined on the host and when unknown/empty (sysdig prints <NA>). */
function attr(get: (i: ContainerInfo) => string): (c: EventContext) => string | undefined {
  return (c) => {
    const i = info(c)
    if (i === undefined) return undefined
    const v = get(i)
    return v === '' ? undefined : v
  }
}

const TYPES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm']

export const CONTAINER_FIELDS: Def[] = [
  field('container.id', 'string', "the container id, or 'host'.", (c) => {
    const t = c.tinfo
    if (t === undefined) return undefined
    return t.containerId === '' ? 'host' : t.containerId
  }),
  field('container.name', 'string', "the container name, or 'host'.", (c) => {
    const t = c.tinfo
    if (t === undefined) return undefined
    if (t.containerId === '') return 'host'
    const n = c.state.containers.get(t.containerId)?.name
    return n === undefined || n === '' ? undefined : n
  }),
  field(
    'container.image',
    'string',
    'the container image name (e.g. falcosecurity/falco:latest).',
    attr((i) => i.image)
  ),
  field(
    'container.image.id',
    'string',
    'the container image id.',
    attr((i) => i.imageId)
  ),
  field(
    'container.image.repository',
    'string',
    'the container image repository.',
    attr((i) => i.imageRepo)
  ),
  field(
    'container.image.tag',
    'string',
    'the container image tag.',
    attr((i) => i.imageTag)
  ),
  field(
    'container.image.digest',
    'string',
    'the container image registry digest.',
    attr((i) => i.imageDigest)
  ),
  field(
    'container.ip',
    'string',
    'the container IP address.',
    attr((i) => i.ip)
  ),
  field('container.type', 'string', 'the container type (docker, cri-o, …).', (c) => {
    const t = c.tinfo
    if (t === undefined) return undefined
    if (t.containerId === '') return 'host'
    const i = c.state.containers.get(t.containerId)
    return i === undefined ? undefined : (TYPES[i.type] ?? undefined)
  }),
  field(
    'container.privileged',
    'bool',
    'true for containers running as privileged (false when the container description does not say).',
    (c) => {
      const i = info(c)
      return i === undefined ? undefined : (i.privileged ?? false)
    },
    {
      render: boolRender
    }
  ),
  field('container.full_id', 'string', 'the full container id.', (c) => {
    const i = info(c)
    const v = i?.json?.full_id
    return typeof v === 'string' && v !== '' ? v : undefined
  }),
  field('container.mounts', 'string', 'the mounts of the container, comma separated.', (c) => {
    const m = mounts(c)
    return m === undefined
      ? undefined
      : m.map((x) => `${x.source}:${x.dest}:${x.mode}:${x.rw}:${x.propagation}`).join(',')
  }),
  field(
    'container.mount.dest',
    'string',
    'the destination of the mount with the given source (or index).',
    (c, a) => {
      const m = mounts(c)
      if (m === undefined || a === undefined) return undefined
      const hit = typeof a === 'number' ? m[a] : m.find((x) => globMatch(a, x.source))
      return hit?.dest
    },
    { arg: 'required' }
  ),
  field(
    'container.mount.source',
    'string',
    'the source of the mount with the given destination (or index).',
    (c, a) => {
      const m = mounts(c)
      if (m === undefined || a === undefined) return undefined
      const hit = typeof a === 'number' ? m[a] : m.find((x) => globMatch(a, x.dest))
      return hit?.source
    },
    { arg: 'required' }
  ),
  field('container.start_ts', 'abstime', 'container start time (unknown offline).', () => undefined),
  field('container.healthcheck', 'string', "the container's health check.", () => undefined)
]

interface Mount {
  source: string
  dest: string
  mode: string
  rw: boolean
  propagation: string
}

function mounts(c: EventContext): Mount[] | undefined {
  const j = info(c)?.json
  const list = j?.Mounts
  if (!Array.isArray(list)) return undefined
  const out: Mount[] = []
  for (const m of list as unknown[]) {
    if (typeof m !== 'object' || m === null) continue
    const o = m as Record<string, unknown>
    out.push({
      source: typeof o.Source === 'string' ? o.Source : '',
      dest: typeof o.Destination === 'string' ? o.Destination : '',
      mode: typeof o.Mode === 'string' ? o.Mode : '',
      rw: o.RW === true,
      propagation: typeof o.Propagation === 'string' ? o.Propagation : ''
    })
  }
  return out
}

/** Shell-style glob (* and ?) used by container.mount.* arguments. */
function globMatch(pattern: string, s: string): boolean {
  let re = '^'
  for (const ch of pattern) {
    if (ch === '*') re += '.*'
    else if (ch === '?') re += '.'
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(re + '$').test(s)
}
