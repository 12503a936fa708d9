// Builds small synthetic captures for rule tests: a process table, fd tables and a few events whose parameters
// are given by name (the rest take zero/empty values of their type), written with the test capture writer in
// the layouts sysdig 0.29.3 knows where it knows the event.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { EVENT_TABLE } from '../../src-main/engine/capture/schema/event-table.generated'
import type { ParamInfo } from '../../src-main/engine/capture/schema/event-info'
import { ScapWriter, i16, i32, i64, i8, str, strList, u16, u32, u64, u8 } from '../fixtures/scap-writer'
import type { FdSpec, ProcSpec } from '../fixtures/scap-writer'

export type ParamValue = number | bigint | string | readonly string[] | Buffer

/** PPM open flags, chmod mode bits and ptrace requests as the drivers encode them. */
export const O = { RDONLY: 1, WRONLY: 2, RDWR: 3, CREAT: 4, APPEND: 8, TRUNC: 256 }
export const MODE = { S_ISUID: 2048, S_ISGID: 1024, S_IRWXU: 448 }
export const PTRACE = { ATTACH: 11, SEIZE: 20, PEEKDATA: 3 }

/** A 64-hex docker container id and the cgroup list a process in it carries. */
export function dockerCgroups(id64: string): string[] {
  return [`cpuset=/docker/${id64}`, `cpu=/docker/${id64}`, `memory=/docker/${id64}`]
}
export const CONTAINER_ID = 'c0ffee00aa11bb22cc33dd44ee55ff66c0ffee00aa11bb22cc33dd44ee55ff66'

function encode(type: number, v: ParamValue | undefined): Buffer {
  if (Buffer.isBuffer(v)) return v
  if (typeof v === 'object') return strList(v)
  if (typeof v === 'string') {
    if (type === 10) return Buffer.from(v, 'utf8')
    return str(v)
  }
  const n = typeof v === 'bigint' ? v : BigInt(v ?? 0)
  switch (type) {
    case 1:
      return i8(Number(n))
    case 2:
      return i16(Number(n))
    case 3:
      return i32(Number(n))
    case 5:
    case 19:
    case 23:
    case 24:
    case 28:
    case 44:
      return u8(Number(n))
    case 6:
    case 18:
    case 22:
    case 29:
    case 45:
      return u16(Number(n))
    case 7:
    case 25:
    case 26:
    case 30:
    case 31:
    case 32:
    case 34:
    case 42:
    case 46:
    case 47:
    case 48:
      return u32(Number(n))
    case 9:
    case 17:
    case 43:
      return str('')
    case 10:
    case 12:
    case 13:
    case 27:
    case 35:
    case 36:
      return Buffer.alloc(0)
    case 16:
      return u16(0)
    case 38:
      return Buffer.alloc(16)
    case 8:
    case 20:
    case 21:
    case 33:
      return u64(n)
    default:
      return i64(n)
  }
}

/** The event code for a name/direction: the newest code sysdig 0.29.3 knows, else the newest of all. */
export function codeOf(name: string, dir: 'E' | 'X'): number {
  const rows = EVENT_TABLE.filter((e) => e.name === name && e.dir === dir)
  const known = rows.filter((e) => e.params0293 !== null)
  const pick = (known.length > 0 ? known : rows).at(-1)
  if (pick === undefined) throw new Error(`no event ${name} ${dir}`)
  return pick.code
}

function layoutOf(code: number): readonly ParamInfo[] {
  const e = EVENT_TABLE[code]
  if (e === undefined) throw new Error(`no event code ${String(code)}`)
  return e.params0293 ?? e.params
}

export class Scene {
  private readonly procs: ProcSpec[] = []
  private readonly fdls: [number, FdSpec[]][] = []
  private readonly events: [number, number, Buffer[]][] = []
  private readonly jsons: string[] = []

  proc(p: ProcSpec): this {
    this.procs.push(p)
    return this
  }

  fds(tid: number, list: FdSpec[]): this {
    this.fdls.push([tid, list])
    return this
  }

  /** A container description event (as sysdig writes for each running container). */
  container(c: { id: string; name: string; image: string; privileged?: boolean }): this {
    const [repo, tag] = c.image.split(':')
    this.jsons.push(
      JSON.stringify({
        container: {
          id: c.id,
          type: 0,
          name: c.name,
          image: c.image,
          imagerepo: repo,
          imagetag: tag ?? 'latest',
          imageid: 'a'.repeat(64),
          imagedigest: '',
          privileged: c.privileged ?? false,
          Mounts: [],
          labels: {}
        }
      })
    )
    return this
  }

  ev(name: string, dir: 'E' | 'X', tid: number, values: Record<string, ParamValue> = {}): this {
    const code = codeOf(name, dir)
    const params = layoutOf(code).map(([pname, type]) => encode(type, values[pname]))
    this.events.push([code, tid, params])
    return this
  }

  /** execve exit of `tid` (the process image after the exec). */
  exec(p: {
    tid: number
    pid?: number
    ptid: number
    exe: string
    args?: string[]
    comm?: string
    cgroups?: string[]
    tty?: number
    cwd?: string
  }): this {
    return this.ev('execve', 'X', p.tid, {
      res: 0,
      exe: p.exe,
      args: p.args ?? [],
      tid: p.tid,
      pid: p.pid ?? p.tid,
      ptid: p.ptid,
      cwd: p.cwd ?? '/',
      fdlimit: 1024,
      comm: p.comm ?? path.basename(p.exe),
      cgroups: p.cgroups ?? [],
      env: ['PATH=/usr/bin'],
      tty: p.tty ?? 0,
      pgid: p.pid ?? p.tid,
      loginuid: -1,
      flags: 0
    })
  }

  /** openat enter + exit by `tid` returning fd `fd`. */
  open(tid: number, file: string, flags: number, fd = 5): this {
    this.ev('openat', 'E', tid, { dirfd: -100, name: file, flags, mode: 0 })
    return this.ev('openat', 'X', tid, { fd, dirfd: -100, name: file, flags, mode: 0, dev: 0 })
  }

  toBuffer(): Buffer {
    const w = new ScapWriter()
    w.shb({ major: 1, minor: 2 })
    w.mi({ cpus: 1, memory: 1 << 30, maxPid: 32768, hostname: 'scene', bootTs: 0n })
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
    w.procs(this.procs)
    for (const [tid, list] of this.fdls) w.fds(tid, list)
    let ts = 1_700_000_000_000_000_000n
    const json = codeOf('container', 'E')
    for (const j of this.jsons) w.ev(json, { tid: -1, ts: (ts += 1000n), params: [str(j)] })
    for (const [code, tid, params] of this.events) w.ev(code, { tid, ts: (ts += 1000n), params })
    return w.toBuffer()
  }

  /** Writes the capture to a temporary file, runs `fn` on its path, removes it. */
  async withFile<T>(fn: (file: string) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-scene-'))
    const file = path.join(dir, 'scene.scap')
    writeFileSync(file, this.toBuffer())
    try {
      return await fn(file)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
