/**
 * Shared helpers for the recorder tests: where the recorder and sysdig are, why a live test must be
 * skipped, running the recorder on a command, reading a file back with sysdig, and walking the block
 * framing of a written file.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../..')
export const RECORDER = process.env.PEREGRINE_RECORDER ?? join(ROOT, 'native', 'build', 'peregrine-recorder')
export const CLI_MAIN = join(ROOT, 'out', 'engine', 'engine', 'cli', 'main.js')

/** Why live recording tests cannot run here, or null when they can. */
export function liveSkipReason(): string | null {
  if (typeof process.geteuid !== 'function' || process.geteuid() !== 0)
    return 'not root (recording loads eBPF programs)'
  if (!existsSync(RECORDER)) return `the recorder was not built (${RECORDER} missing; npm run build:native)`
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'the kernel has no BTF'
  if (spawnSync('sysdig', ['--version'], { encoding: 'utf8' }).status !== 0)
    return 'sysdig (the oracle) is not installed'
  return null
}

/** Tools the scenario scripts use; a missing one skips the live scenario recordings. */
export function scenarioToolsMissing(): string | null {
  for (const t of ['ip', 'curl', 'script', 'unshare', 'setpriv', 'sha256sum', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).status !== 0)
      return `${t} is not installed`
  }
  return null
}

export function titleWithSkip(title: string, reason: string | null): string {
  return reason === null ? title : `${title} [skipped: ${reason}]`
}

export interface Summary {
  events: number
  bytes: number
  records: number
  drops: number
  stop: string
  command_status: number
  bad_layouts: number
  /** records whose timestamps were moved forward to keep the file non-decreasing */
  clamped_ts: number
}

export function parseSummary(stderr: string): Summary {
  const line = stderr
    .trimEnd()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'))
  if (line === undefined) throw new Error(`no summary line in recorder stderr:\n${stderr}`)
  return JSON.parse(line) as Summary
}

export function recordCommand(out: string, cmd: string[], extra: string[] = []): SpawnSyncReturns<string> {
  return spawnSync(RECORDER, ['-o', out, ...extra, '--', ...cmd], { encoding: 'utf8', timeout: 60_000 })
}

export function sysdig(file: string, format?: string, filter?: string): SpawnSyncReturns<string> {
  const args = ['-r', file]
  if (format !== undefined) args.push('-p', format)
  if (filter !== undefined) args.push(filter)
  return spawnSync('sysdig', args, { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 })
}

export const FIELDS =
  '*%evt.num %evt.type %evt.dir %proc.name %proc.pid %proc.ppid %thread.tid %proc.cmdline %proc.pname %proc.exepath %fd.num %fd.type %fd.name'

export interface Framing {
  blocks: number
  eventBlocks: number
  /** DROP_E / DROP_X events (codes 148/149) */
  dropEvents: number
  /** first problem found, or null when every block's trailer matches and the walk ends at EOF */
  error: string | null
}

/** Walks the pcapng-like block framing of an uncompressed .scap file. */
export function walkBlocks(file: string): Framing {
  const b = readFileSync(file)
  let off = 0
  let blocks = 0
  let eventBlocks = 0
  let dropEvents = 0
  while (off < b.length) {
    if (off + 12 > b.length)
      return { blocks, eventBlocks, dropEvents, error: `truncated block header at ${String(off)}` }
    const type = b.readUInt32LE(off)
    const len = b.readUInt32LE(off + 4)
    if (len < 12 || len % 4 !== 0 || off + len > b.length)
      return { blocks, eventBlocks, dropEvents, error: `bad block length ${String(len)} at ${String(off)}` }
    if (b.readUInt32LE(off + len - 4) !== len)
      return { blocks, eventBlocks, dropEvents, error: `trailer mismatch at ${String(off)}` }
    if (blocks === 0 && (type !== 0x0a0d0d0a || len !== 28))
      return { blocks, eventBlocks, dropEvents, error: 'the first block is not a 28-byte SHB' }
    if (type === 0x216 || type === 0x221) {
      eventBlocks++
      const code = b.readUInt16LE(off + 8 + 2 + 20)
      if (code === 148 || code === 149) dropEvents++
    }
    blocks++
    off += len
  }
  return { blocks, eventBlocks, dropEvents, error: null }
}
