/**
 * `required_engine_version` and `required_plugin_versions`. We declare Falco's rules-engine version whose
 * language we implement; a legacy integer N means 0.N.0. Plugin requirements are checked for shape; the
 * container plugin's fields are provided by our own field layer, so its requirement counts as satisfied.
 */
import type { ErrorCode } from './diagnostics'
import type { PluginRequirement } from './items'

export const ENGINE_VERSION = '0.63.0'

type Semver = [number, number, number]

export function parseSemver(s: string): Semver | undefined {
  const t = s.trim()
  if (/^\d+$/.test(t)) return [0, Number(t), 0]
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(t)
  if (m === null) return undefined
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

function cmp(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0) ? -1 : 1
  return 0
}

export function checkEngineVersion(required: string): { code: ErrorCode; message: string } | undefined {
  const req = parseSemver(required)
  if (req === undefined) return { code: 'LOAD_ERR_YAML_VALIDATE', message: "Can't decode YAML scalar value" }
  const ours = parseSemver(ENGINE_VERSION) ?? [0, 0, 0]
  if (req[0] !== ours[0] || cmp(ours, req) < 0)
    return {
      code: 'LOAD_ERR_VALIDATE',
      message: `Rules require engine version ${required}, but engine version is ${ENGINE_VERSION}`
    }
  return undefined
}

/** Shape errors only (invalid semver, duplicate alternatives); returns the message or undefined. */
export function checkPluginRequirements(reqs: readonly PluginRequirement[]): string | undefined {
  for (const r of reqs) {
    const names = new Set<string>([r.name])
    for (const v of [r, ...r.alternatives])
      if (parseSemver(v.version) === undefined)
        return `Plugin '${v.name}' has invalid version string '${v.version}'`
    for (const a of r.alternatives) {
      if (names.has(a.name)) return `Multiple definitions of plugin with name ${a.name}`
      names.add(a.name)
    }
  }
  return undefined
}
