/** Runs a synthetic capture through `peregrine events` in memory and returns the printed lines. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { printEvents } from '../../src-main/engine/cli/cmd-events'
import { setLocalOffsetSeconds } from '../../src-main/engine/format/time-text'
import { ScapWriter, type ProcSpec } from '../fixtures/scap-writer'

setLocalOffsetSeconds(0)

let dumped = 0

export async function lines(buf: Buffer, format: string, filter?: string): Promise<string[]> {
  // Set H3_DUMP_DIR to keep the synthetic captures (to check them against `sysdig -r`).
  const dir = process.env.H3_DUMP_DIR
  if (dir !== undefined) writeFileSync(`${dir}/case-${++dumped}.scap`, buf)
  let text = ''
  const summary = await printEvents(buf, { format, filter }, { write: (s) => (text += s) })
  if (!summary.complete) throw new Error(`capture not read fully: ${summary.error?.message ?? '?'}`)
  return text.split('\n').slice(0, -1)
}

export const T0 = 1_700_000_000_000_000_000n

/** A writer with a section, machine, users and the given processes already written. */
export function base(procs: ProcSpec[]): ScapWriter {
  const w = new ScapWriter()
  w.shb({ major: 1, minor: 2 })
  w.mi({ cpus: 1, memory: 2 ** 30, maxPid: 32768, hostname: 'box', bootTs: 0n })
  w.users(
    [
      { uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' },
      { uid: 1000, gid: 1000, name: 'alice', home: '/home/alice', shell: '/bin/bash' }
    ],
    [
      { gid: 0, name: 'root' },
      { gid: 1000, name: 'alice' }
    ]
  )
  w.ifaces([{ family: 4, addr: '10.0.0.5', netmask: '255.255.255.0', bcast: '10.0.0.255', ifname: 'eth0' }])
  w.procs(procs)
  return w
}

export const SYSDIG = '/usr/bin/sysdig'
export const HAVE_SYSDIG = existsSync(SYSDIG)

/** `sysdig -r` over the same bytes (TZ=UTC), or undefined when sysdig is not installed. */
export function sysdigLines(buf: Buffer, format: string, filter?: string): string[] | undefined {
  if (!HAVE_SYSDIG) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'h3-state-'))
  try {
    const file = join(dir, 'c.scap')
    writeFileSync(file, buf)
    const args = ['-r', file, '-p', format]
    if (filter !== undefined) args.push(filter)
    const r = spawnSync(SYSDIG, args, { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 })
    return r.stdout.toString('utf8').split('\n').slice(0, -1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Our lines, after checking that sysdig 0.29.3 (when installed) prints exactly the same. */
export async function checked(buf: Buffer, format: string, filter?: string): Promise<string[]> {
  const ours = await lines(buf, format, filter)
  const theirs = sysdigLines(buf, format, filter)
  if (theirs !== undefined && JSON.stringify(theirs) !== JSON.stringify(ours)) {
    throw new Error(
      `differs from sysdig:\nsysdig: ${theirs.join('\n        ')}\nours:   ${ours.join('\n        ')}`
    )
  }
  return ours
}
