// prctl is an event only current libs know (sysdig 0.29.3 skips it), so the oracle here is the PPM table:
// `option` is the PPM_PR_* code (the Linux number for every option libs define, 0 for the others),
// arg2_str carries the name for PR_SET_NAME / PR_GET_NAME and arg2_int the value PR_GET_CHILD_SUBREAPER
// wrote, else the raw second argument. Read back with `peregrine events --all-event-types`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI_MAIN, liveSkipReason, parseSummary, recordCommand, titleWithSkip } from './record-env'

const skip = liveSkipReason() ?? (existsSync(CLI_MAIN) ? null : `the engine is not built (${CLI_MAIN})`)
const dir = mkdtempSync(join(tmpdir(), 'pg-record-prctl-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const PROGRAM = [
  'import ctypes',
  'l = ctypes.CDLL(None, use_errno=True)',
  'l.prctl(15, b"pgname", 0, 0, 0)',
  'b = ctypes.create_string_buffer(16)',
  'l.prctl(16, b, 0, 0, 0)',
  'l.prctl(36, 1, 0, 0, 0)',
  'i = ctypes.c_int(7)',
  'l.prctl(37, ctypes.byref(i), 0, 0, 0)',
  'l.prctl(1234, 5, 0, 0, 0)'
].join('; ')

const EXPECTED: { what: string; line: RegExp }[] = [
  {
    what: 'PR_SET_NAME: option 15, the new name',
    line: /< prctl res=0 option=15 arg2_str=pgname arg2_int=0 $/
  },
  {
    what: 'PR_GET_NAME: option 16, the name read back',
    line: /< prctl res=0 option=16 arg2_str=pgname arg2_int=0 $/
  },
  {
    what: 'PR_SET_CHILD_SUBREAPER: the raw argument',
    line: /< prctl res=0 option=36 arg2_str= arg2_int=1 $/
  },
  {
    what: 'PR_GET_CHILD_SUBREAPER: the value the kernel wrote (1), not the pointer',
    line: /< prctl res=0 option=37 arg2_str= arg2_int=1 $/
  },
  {
    what: 'an option libs do not define: option 0',
    line: /< prctl res=-22\(EINVAL\) option=0 arg2_str= arg2_int=5 $/
  }
]

describe.skipIf(skip !== null)(titleWithSkip('prctl parameters', skip), () => {
  const out = join(dir, 'prctl.scap')
  let lines: string[] | undefined
  const get = (): string[] => {
    if (lines !== undefined) return lines
    const r = recordCommand(out, ['python3', '-c', PROGRAM])
    expect(r.status, r.stderr).toBe(0)
    expect(parseSummary(r.stderr).bad_layouts).toBe(0)
    const ev = spawnSync('node', [CLI_MAIN, 'events', out, '--all-event-types', 'evt.type=prctl'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20
    })
    expect(ev.status, ev.stderr).toBe(0)
    lines = ev.stdout.split('\n').filter((l) => l.includes(' prctl ') && l.includes(' python3 '))
    return lines
  }
  for (const e of EXPECTED) {
    it(e.what, () => {
      expect(get().filter((l) => e.line.test(l)).length, get().join('\n')).toBe(1)
    })
  }
})
