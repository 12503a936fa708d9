import type { ThreadInfo } from './thread-info'
import { containerIdFromCgroup } from '../capture/container-id'

/** What sysdig knows about a container (from CONTAINER_* events; empty fields are unknown). */
export interface ContainerInfo {
  id: string
  type: number
  name: string
  image: string
  imageId: string
  imageRepo: string
  imageTag: string
  imageDigest: string
  privileged: boolean | undefined
  ip: string
  /** The raw JSON of the last CONTAINER_JSON event, when there was one. */
  json: Record<string, unknown> | null
}

export { containerIdFromCgroup }

/** Containers by id, and the cgroup → id rule (sinsp container_manager, offline). */
export class Containers {
  readonly map = new Map<string, ContainerInfo>()

  clear(): void {
    this.map.clear()
  }

  /** sinsp resolve_container: sets t.containerId from its cgroups and registers a bare entry. */
  resolve(t: ThreadInfo): void {
    let id = ''
    for (const [, path] of t.cgroups) {
      id = containerIdFromCgroup(path)
      if (id !== '') break
    }
    t.containerId = id
    if (id !== '' && !this.map.has(id)) this.map.set(id, blank(id))
  }

  get(id: string): ContainerInfo | undefined {
    return this.map.get(id)
  }

  set(c: ContainerInfo): void {
    this.map.set(c.id, c)
  }

  /** CONTAINER_JSON(_2)_E payload. Returns the container id, or undefined when it is not valid JSON. */
  addJson(text: string): string | undefined {
    let root: unknown
    try {
      root = JSON.parse(text)
    } catch {
      return undefined
    }
    if (typeof root !== 'object' || root === null) return undefined
    const c = (root as Record<string, unknown>).container
    if (typeof c !== 'object' || c === null) return undefined
    const o = c as Record<string, unknown>
    const info = blank(str(o.id))
    info.type = typeof o.type === 'number' ? o.type : 0
    info.name = str(o.name)
    info.image = str(o.image)
    info.imageId = str(o.imageid)
    info.imageRepo = str(o.imagerepo)
    info.imageTag = str(o.imagetag)
    info.imageDigest = str(o.imagedigest)
    info.privileged = typeof o.privileged === 'boolean' ? o.privileged : undefined
    info.ip = str(o.ip)
    info.json = o
    this.map.set(info.id, info)
    return info.id
  }
}

function str(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return ''
}

export function blank(id: string): ContainerInfo {
  return {
    id,
    type: 0,
    name: '',
    image: '',
    imageId: '',
    imageRepo: '',
    imageTag: '',
    imageDigest: '',
    privileged: undefined,
    ip: '',
    json: null
  }
}
