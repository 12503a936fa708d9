/**
 * proc.is_exe_writable / is_exe_upper_layer / is_exe_from_memfd come from the PPM_EXE_* bits of the execve
 * exit's `flags` parameter (libs semantics; sysdig 0.29.3 has no such fields), and a forked child keeps its
 * parent's until it runs its own execve.
 */
import { describe, expect, it } from 'vitest'
import { errno, i32, path, pid, str, strList, u32, u64, type ScapWriter } from '../fixtures/scap-writer'
import { fork, tick, type ProcState } from './events'
import { base, lines } from './harness'

const FMT = '%proc.name %proc.is_exe_writable %proc.is_exe_upper_layer %proc.is_exe_from_memfd'

/** execve exit (EXECVE_19, 20 params) whose last parameter is the PPM_EXE_* flags. */
function execve(w: ScapWriter, p: ProcState, flags: number): void {
  w.ev(292, { tid: p.tid, ts: tick(), params: [path(p.exe ?? p.comm)] })
  w.ev(293, {
    tid: p.tid,
    ts: tick(),
    params: [
      errno(0),
      str(p.exe ?? p.comm),
      strList([]),
      pid(p.tid),
      pid(p.pid),
      pid(p.ptid),
      str('/'),
      u64(1024),
      u64(0),
      u64(0),
      u32(0),
      u32(0),
      u32(0),
      str(p.comm),
      strList([]),
      strList([]),
      i32(0),
      pid(p.pid),
      i32(-1),
      u32(flags)
    ]
  })
}

describe('state: executable flags of execve exits', () => {
  const cases: { flags: number; want: string }[] = [
    { flags: 0, want: 'payload false false false' },
    { flags: 1, want: 'payload true false false' },
    { flags: 2, want: 'payload false true false' },
    { flags: 4, want: 'payload false false true' },
    { flags: 4 | 1 | 8, want: 'payload true false true' }
  ]
  for (const c of cases) {
    it(`flags=${String(c.flags)} → ${c.want}; a forked child inherits them; the next execve resets`, async () => {
      const sh: ProcState = { tid: 100, pid: 100, ptid: 1, comm: 'sh' }
      const w = base([
        { tid: 1, pid: 1, ptid: 0, comm: 'init', cwd: '/' },
        { ...sh, cwd: '/' }
      ])
      const me: ProcState = { ...sh, comm: 'payload', exe: 'payload' }
      execve(w, me, c.flags)
      const child: ProcState = { tid: 101, pid: 101, ptid: 100, comm: 'payload' }
      fork(w, me, child)
      execve(w, { ...child, comm: 'ls', exe: '/bin/ls' }, 0)
      const out = await lines(w.toBuffer(), FMT, 'evt.type in (execve, clone) and evt.dir=<')
      expect(out).toEqual([c.want, c.want, c.want, 'ls false false false'])
    })
  }
})
