/**
 * Container id from a thread's cgroups (spec §6.3): for each "subsys=path" entry, try the known runtimes'
 * (prefix, suffix) layouts; the text between the LAST occurrence of the prefix and the last occurrence of the
 * suffix (or the end) must be exactly 64 hex characters. The id is its first 12. '' means the host.
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

const HEX64 = /^[0-9a-f]{64}$/i

export function containerIdFromCgroups(cgroups: readonly string[]): string {
  for (const entry of cgroups) {
    const eq = entry.indexOf('=')
    const path = eq >= 0 ? entry.slice(eq + 1) : entry
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
      if (HEX64.test(id)) return id.slice(0, 12).toLowerCase()
    }
  }
  return ''
}
