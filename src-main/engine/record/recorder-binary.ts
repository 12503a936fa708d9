/**
 * Finds the native recorder (native/build/peregrine-recorder, built by scripts/build-native.sh) and says
 * plainly why recording is unavailable when it cannot be used.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

export const RECORDER_PACKAGES = 'clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool gcc libc6-dev'

/** The repository (or installed package) root: the nearest parent holding peregrine's package.json. */
export function packageRoot(from: string = __dirname): string | null {
  let dir = resolve(from)
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(pkg, 'utf8'))
        if (
          typeof parsed === 'object' &&
          parsed !== null &&
          (parsed as { name?: unknown }).name === 'peregrine'
        )
          return dir
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

export type RecorderLocation = { ok: true; path: string } | { ok: false; why: string }

/** PEREGRINE_RECORDER overrides the location (tests, packaging). */
export function locateRecorder(env: NodeJS.ProcessEnv = process.env): RecorderLocation {
  const override = env.PEREGRINE_RECORDER
  const root = packageRoot()
  const path =
    override !== undefined && override !== ''
      ? override
      : root === null
        ? null
        : join(root, 'native', 'build', 'peregrine-recorder')
  if (path === null || !existsSync(path)) {
    return {
      ok: false,
      why:
        `recording unavailable: the recorder binary was not built (${path ?? 'native/build/peregrine-recorder'} is missing); ` +
        `install ${RECORDER_PACKAGES} (apt-get install -y ${RECORDER_PACKAGES}), then run \`npm run build:native\``
    }
  }
  try {
    accessSync(path, constants.X_OK)
  } catch {
    return { ok: false, why: `recording unavailable: ${path} is not executable` }
  }
  return { ok: true, path }
}

/** Root is needed to load BPF programs (CAP_BPF + CAP_PERFMON + CAP_SYS_ADMIN). */
export function isRoot(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() === 0
}
