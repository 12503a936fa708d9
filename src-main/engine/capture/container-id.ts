/**
 * Container id from a thread's cgroups (spec §6.3, sinsp's container engines offline): for a cgroup path,
 * try the known runtimes' (prefix, suffix) layouts; the text between the LAST occurrence of the prefix and the
 * last occurrence of the suffix (or the end) must be exactly 64 hex characters. The id is its first 12, as
 * written (sysdig does not change its case). '' means the host. Shared by `info` and the state engine.
 */
const LAYOUTS: readonly (readonly [prefix: string, suffix: string])[] = [
  ['/', ''], // docker, cri, containerd, cri-o cgroupfs
  ['/docker-', '.scope'], // docker under systemd
  ['/crio-', ''],
  ['/cri-containerd-', '.scope'],
  ['/crio-', '.scope'],
  [':cri-containerd:', ''],
  ['/libpod-', '.scope'] // podman
]

const HEX64 = /^[0-9a-fA-F]{64}$/

function idFromPath(path: string): string {
  for (const [prefix, suffix] of LAYOUTS) {
    const p = path.lastIndexOf(prefix)
    if (p < 0) continue
    const start = p + prefix.length
    let end = path.length
    if (suffix !== '') {
      const s = path.lastIndexOf(suffix)
      if (s < start) continue
      end = s
    }
    const id = path.slice(start, end)
    if (id.length === 64 && HEX64.test(id)) return id.slice(0, 12)
  }
  return ''
}

const idCache = new Map<string, string>()

/** The 12-char container id in one cgroup path, or '' (memoised: the same paths repeat per process). */
export function containerIdFromCgroup(path: string): string {
  let id = idCache.get(path)
  if (id === undefined) {
    id = idFromPath(path)
    if (idCache.size > 100_000) idCache.clear()
    idCache.set(path, id)
  }
  return id
}

/** The first container id among "subsys=path" entries, or ''. */
export function containerIdFromCgroups(cgroups: readonly string[]): string {
  for (const entry of cgroups) {
    const eq = entry.indexOf('=')
    const id = containerIdFromCgroup(eq >= 0 ? entry.slice(eq + 1) : entry)
    if (id !== '') return id
  }
  return ''
}
