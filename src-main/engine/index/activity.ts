/**
 * Rows derived from exit events: file activity (open/create/unlink/rename/mkdir/rmdir/link/symlink/
 * chmod/chown/truncate/exec), connections (connect/accept/bind/listen) and I/O (read/write families: data
 * snapshot and bytes per fd name). Reads what the state engine resolved (the fd's name after an open or a
 * connect) and the event's own parameters; per-type parameter positions are looked up once.
 */
import type { ScapEvent } from '../capture/scap-event'
import { EF, PT } from '../capture/schema/event-table.generated'
import { FdType } from '../capture/capture-types'
import type { StateEngine } from '../state/state-engine'
import type { ThreadInfo } from '../state/thread-info'
import { concatPaths } from '../state/paths'
import { socktupleText } from '../state/net-addr'
import type { EventContextOut } from './event-sink'
import type { RowSink, FdIoRow } from './row-sink'

/** Access bits of file_activity.access. */
export const ACC_READ = 1
export const ACC_WRITE = 2
export const ACC_EXEC = 4
export const ACC_CREATE = 8
export const ACC_DELETE = 16
export const ACC_META = 32

// PPM open flags (not the kernel's O_*): see the scap format spec.
const PPM_O_RDONLY = 1
const PPM_O_WRONLY = 2
const PPM_O_CREAT = 4
const PPM_O_TRUNC = 256
const AT_FDCWD = -100

type Kind = 'file' | 'exec' | 'conn' | 'io' | null

interface FileOp {
  op: string
  /** parameter names holding the path, and the second path */
  path: string
  path2?: string
  dirfd?: string
  dirfd2?: string
  access: number
  /** the path comes from the enter event (old layouts whose exit has only res) */
  fromEnter?: boolean
}

const FILE_OPS: Record<string, FileOp> = {
  open: { op: 'open', path: 'name', access: 0 },
  openat: { op: 'open', path: 'name', dirfd: 'dirfd', access: 0 },
  openat2: { op: 'open', path: 'name', dirfd: 'dirfd', access: 0 },
  creat: { op: 'create', path: 'name', access: ACC_WRITE | ACC_CREATE },
  unlink: { op: 'unlink', path: 'path', access: ACC_DELETE },
  unlinkat: { op: 'unlink', path: 'name', dirfd: 'dirfd', access: ACC_DELETE },
  rename: { op: 'rename', path: 'oldpath', path2: 'newpath', access: ACC_DELETE | ACC_CREATE },
  renameat: {
    op: 'rename',
    path: 'oldpath',
    path2: 'newpath',
    dirfd: 'olddirfd',
    dirfd2: 'newdirfd',
    access: ACC_DELETE | ACC_CREATE
  },
  renameat2: {
    op: 'rename',
    path: 'oldpath',
    path2: 'newpath',
    dirfd: 'olddirfd',
    dirfd2: 'newdirfd',
    access: ACC_DELETE | ACC_CREATE
  },
  mkdir: { op: 'mkdir', path: 'path', access: ACC_CREATE },
  mkdirat: { op: 'mkdir', path: 'path', dirfd: 'dirfd', access: ACC_CREATE },
  rmdir: { op: 'rmdir', path: 'path', access: ACC_DELETE },
  link: { op: 'link', path: 'oldpath', path2: 'newpath', access: ACC_CREATE },
  linkat: {
    op: 'link',
    path: 'oldpath',
    path2: 'newpath',
    dirfd: 'olddir',
    dirfd2: 'newdir',
    access: ACC_CREATE
  },
  symlink: { op: 'symlink', path: 'linkpath', path2: 'target', access: ACC_CREATE },
  symlinkat: { op: 'symlink', path: 'linkpath', path2: 'target', dirfd: 'linkdirfd', access: ACC_CREATE },
  chmod: { op: 'chmod', path: 'filename', access: ACC_META },
  fchmodat: { op: 'chmod', path: 'filename', dirfd: 'dirfd', access: ACC_META },
  fchmod: { op: 'chmod', path: '', access: ACC_META },
  chown: { op: 'chown', path: 'path', access: ACC_META },
  lchown: { op: 'chown', path: 'path', access: ACC_META },
  fchownat: { op: 'chown', path: 'pathname', dirfd: 'dirfd', access: ACC_META },
  fchown: { op: 'chown', path: '', access: ACC_META },
  truncate: { op: 'truncate', path: 'path', access: ACC_WRITE },
  ftruncate: { op: 'truncate', path: '', access: ACC_WRITE }
}

const CONN_OPS: Record<string, 'connect' | 'accept' | 'bind' | 'listen'> = {
  connect: 'connect',
  accept: 'accept',
  accept4: 'accept',
  bind: 'bind',
  listen: 'listen'
}

/** Per (event code, nparams): parameter positions, resolved once. */
interface TypeInfo {
  res: number
  kind: 'file' | 'exec' | 'conn' | 'io-read' | 'io-write' | 'none'
  fileOp?: FileOp
  pathIdx: number
  path2Idx: number
  dirfdIdx: number
  dirfd2Idx: number
  flagsIdx: number
  dataIdx: number
  tupleIdx: number
  connOp?: 'connect' | 'accept' | 'bind' | 'listen'
}

interface IoAgg {
  upid: number | null
  fdname: number
  fdtype: number | null
  bytesRead: number
  bytesWritten: number
  reads: number
  writes: number
  firstNum: number
  lastNum: number
}

export class ActivityExtractor {
  private readonly types = new Map<number, TypeInfo>()
  /** old layouts: path of the pending enter per thread */
  private readonly pending = new Map<number, [string, string | null]>()
  private readonly io = new Map<string, IoAgg>()

  constructor(
    private readonly w: RowSink,
    private readonly state: StateEngine,
    private readonly ioData: boolean
  ) {}

  private info(ev: ScapEvent): TypeInfo {
    const key = ev.type * 256 + ev.nparams
    let ti = this.types.get(key)
    if (ti !== undefined) return ti
    const name = ev.info.name
    let res = ev.paramIndex('res')
    if (res < 0 && ev.nparams > 0) {
      const t = ev.paramType(0)
      if (t === PT.ERRNO || t === PT.FD || t === PT.PID) res = 0
    }
    const fileOp = FILE_OPS[name]
    const connOp = CONN_OPS[name]
    const flags = ev.info.flags
    let kind: TypeInfo['kind'] = 'none'
    if (name === 'execve' || name === 'execveat') kind = 'exec'
    else if (fileOp !== undefined) kind = 'file'
    else if (connOp !== undefined) kind = 'conn'
    else if ((flags & EF.READS_FROM_FD) !== 0) kind = 'io-read'
    else if ((flags & EF.WRITES_TO_FD) !== 0) kind = 'io-write'
    ti = {
      res,
      kind,
      fileOp,
      connOp,
      pathIdx: fileOp !== undefined && fileOp.path !== '' ? ev.paramIndex(fileOp.path) : -1,
      path2Idx: fileOp?.path2 !== undefined ? ev.paramIndex(fileOp.path2) : -1,
      dirfdIdx: fileOp?.dirfd !== undefined ? ev.paramIndex(fileOp.dirfd) : -1,
      dirfd2Idx: fileOp?.dirfd2 !== undefined ? ev.paramIndex(fileOp.dirfd2) : -1,
      flagsIdx: ev.paramIndex('flags'),
      dataIdx: ev.paramIndex('data'),
      tupleIdx: ev.paramIndex('tuple')
    }
    this.types.set(key, ti)
    return ti
  }

  /** Index of the result parameter of an exit event, -1 when none. */
  resIndex(ev: ScapEvent): number {
    return this.info(ev).res
  }

  /** Old layouts carry the path only on the enter event: keep it for the exit. */
  onEnter(ev: ScapEvent, t: ThreadInfo): void {
    if (ev.info.name === 'execve') {
      const i = ev.paramIndex('filename')
      if (i >= 0) this.pending.set(t.tid, [this.resolve(ev, t, i, -1), null])
      return
    }
    const op = FILE_OPS[ev.info.name]
    if (op === undefined || op.path === '') return
    const i = ev.paramIndex(op.path)
    if (i < 0) return
    const j = op.path2 === undefined ? -1 : ev.paramIndex(op.path2)
    this.pending.set(t.tid, [this.resolve(ev, t, i, -1), j < 0 ? null : this.resolve(ev, t, j, -1)])
  }

  private resolve(ev: ScapEvent, t: ThreadInfo, pathIdx: number, dirfdIdx: number): string {
    const p = ev.str(pathIdx) ?? ''
    if (p.startsWith('/')) return concatPaths('', p)
    let base = this.state.threads.cwd(t)
    if (dirfdIdx >= 0) {
      const dirfd = ev.int(dirfdIdx) ?? AT_FDCWD
      if (dirfd !== AT_FDCWD) {
        const d = this.state.threads.getFd(t, dirfd)
        base = d === undefined ? '' : d.name.endsWith('/') ? d.name : d.name + '/'
      }
    }
    return concatPaths(base, p)
  }

  onExit(ev: ScapEvent, ts: number, t: ThreadInfo, c: EventContextOut, res: number | null): Kind {
    const ti = this.info(ev)
    switch (ti.kind) {
      case 'file':
        return this.file(ev, ts, t, c, res, ti)
      case 'exec': {
        const pend = this.pending.get(t.tid)
        this.pending.delete(t.tid)
        if (res === 0) {
          // the path execve was given (enter event), else what the process reports
          const path = pend !== undefined && pend[0] !== '' ? pend[0] : t.exepath !== '' ? t.exepath : t.exe
          this.w.fileActivity({
            num: ev.num,
            ts,
            upid: t.upid,
            utid: t.utid,
            op: 'exec',
            path,
            path2: null,
            access: ACC_EXEC | ACC_READ,
            flags: null,
            fd: null,
            res
          })
        }
        return 'exec'
      }
      case 'conn':
        return this.conn(ev, ts, t, c, res, ti)
      case 'io-read':
      case 'io-write':
        if (res !== null && res > 0 && c.fd !== null && c.fdName !== null) {
          const dir = ti.kind === 'io-read' ? 0 : 1
          let data: Buffer | null = null
          if (this.ioData && ti.dataIdx >= 0) {
            const b = ev.bytes(ti.dataIdx)
            if (b !== undefined && b.length > 0) data = Buffer.from(b)
          }
          this.w.ioChunk(ev.num, ts, c.upid, c.utid, c.fd, c.fdName, c.fdType, dir, res, data)
          const key = `${c.upid ?? ''}:${c.fdName}`
          let a = this.io.get(key)
          if (a === undefined) {
            a = {
              upid: c.upid,
              fdname: c.fdName,
              fdtype: c.fdType,
              bytesRead: 0,
              bytesWritten: 0,
              reads: 0,
              writes: 0,
              firstNum: ev.num,
              lastNum: ev.num
            }
            this.io.set(key, a)
          }
          if (dir === 0) {
            a.bytesRead += res
            a.reads++
          } else {
            a.bytesWritten += res
            a.writes++
          }
          a.lastNum = ev.num
          return 'io'
        }
        return null
      default:
        return null
    }
  }

  private file(
    ev: ScapEvent,
    ts: number,
    t: ThreadInfo,
    c: EventContextOut,
    res: number | null,
    ti: TypeInfo
  ): Kind {
    const op = ti.fileOp
    if (op === undefined) return null
    const pend = this.pending.get(t.tid)
    this.pending.delete(t.tid)
    let path: string | null = null
    let path2: string | null = null
    let access = op.access
    let flags: number | null = null
    const f = this.state.fdinfo
    if (op.op === 'open' || op.op === 'create') {
      if (ti.flagsIdx >= 0) {
        flags = ev.int(ti.flagsIdx) ?? 0
        if ((flags & PPM_O_RDONLY) !== 0) access |= ACC_READ
        if ((flags & PPM_O_WRONLY) !== 0 || (flags & PPM_O_TRUNC) !== 0) access |= ACC_WRITE
        if ((flags & PPM_O_CREAT) !== 0) access |= ACC_CREATE
      }
      // a successful open: the fd's name is the resolved path; only files and directories count
      if (res !== null && res >= 0 && f !== undefined) {
        if (f.type !== FdType.FILE && f.type !== FdType.FILE_V2 && f.type !== FdType.DIRECTORY) return null
        path = f.name
      }
    } else if (ti.pathIdx < 0 && op.path === '' && f !== undefined) {
      path = f.name // fchmod, fchown, ftruncate: the fd's file
    }
    if (path === null && ti.pathIdx >= 0) path = this.resolve(ev, t, ti.pathIdx, ti.dirfdIdx)
    if (path === null && pend !== undefined) path = pend[0]
    if (ti.path2Idx >= 0) {
      path2 =
        op.op === 'symlink' ? (ev.str(ti.path2Idx) ?? null) : this.resolve(ev, t, ti.path2Idx, ti.dirfd2Idx)
    } else if (pend !== undefined) path2 = pend[1]
    if (path === null || path === '') return null
    this.w.fileActivity({
      num: ev.num,
      ts,
      upid: t.upid,
      utid: t.utid,
      op: op.op,
      path,
      path2,
      access,
      flags,
      fd: op.op === 'open' || op.op === 'create' ? (res !== null && res >= 0 ? res : null) : c.fd,
      res
    })
    return 'file'
  }

  private conn(
    ev: ScapEvent,
    ts: number,
    t: ThreadInfo,
    c: EventContextOut,
    res: number | null,
    ti: TypeInfo
  ): Kind {
    const op = ti.connOp
    const f = this.state.fdinfo
    if (op === undefined || f === undefined) return null
    if (op === 'accept' && (res === null || res < 0)) return null
    const isInet = f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK
    const isServ = f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK
    const isUnix = f.type === FdType.UNIX_SOCK
    if (!isInet && !isServ && !isUnix) return null
    const family = isUnix ? 1 : f.type === FdType.IPV6_SOCK || f.type === FdType.IPV6_SERVSOCK ? 6 : 4
    let name = f.name
    if (name === '' && ti.tupleIdx >= 0) {
      // a failed connect leaves the fd unnamed; the event's own tuple says where it went
      const b = ev.bytes(ti.tupleIdx)
      if (b !== undefined && b.length > 0) name = socktupleText(b)
    }
    const ends = splitTuple(name, family)
    let lip = ''
    let lport = 0
    let rip = ''
    let rport = 0
    let direction: 'in' | 'out' | 'listen' = 'listen'
    if (op === 'connect') {
      direction = 'out'
      ;[lip, lport, rip, rport] = [ends.aIp, ends.aPort, ends.bIp, ends.bPort]
    } else if (op === 'accept') {
      direction = 'in'
      ;[rip, rport, lip, lport] = [ends.aIp, ends.aPort, ends.bIp, ends.bPort]
    } else {
      ;[lip, lport] = ends.b !== '' ? [ends.bIp, ends.bPort] : [ends.aIp, ends.aPort]
    }
    const l4 = f.l4proto()
    const proto = isUnix ? 'unix' : (['unknown', 'unknown', 'tcp', 'udp', 'icmp', 'raw'][l4] ?? 'unknown')
    this.w.connection({
      num: ev.num,
      ts,
      upid: t.upid,
      utid: t.utid,
      fd: c.fd,
      op,
      l4proto: proto,
      family,
      direction,
      lip,
      lport,
      rip,
      rport,
      local: isUnix || isLoopback(rip) || (rip !== '' && rip === lip),
      name,
      res
    })
    return 'conn'
  }

  /** Writes the bytes per fd name. */
  finish(): void {
    const rows: FdIoRow[] = []
    for (const a of this.io.values())
      rows.push([
        a.upid,
        a.fdname,
        a.fdtype,
        a.bytesRead,
        a.bytesWritten,
        a.reads,
        a.writes,
        a.firstNum,
        a.lastNum
      ])
    this.w.fdIo(rows)
  }
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.')
}

/** "a:p->b:q" (IPv6 addresses contain ':' too: the port is after the last one); unix names are kept whole. */
export function splitTuple(
  name: string,
  family: number
): { a: string; b: string; aIp: string; aPort: number; bIp: string; bPort: number } {
  const arrow = name.indexOf('->')
  const a = arrow < 0 ? name : name.slice(0, arrow)
  const b = arrow < 0 ? '' : name.slice(arrow + 2)
  if (family === 1) {
    const sp = b.indexOf(' ')
    return { a, b, aIp: a, aPort: 0, bIp: sp >= 0 ? b.slice(sp + 1) : b, bPort: 0 }
  }
  const split = (s: string): [string, number] => {
    const i = s.lastIndexOf(':')
    if (i < 0) return [s, 0]
    const port = Number(s.slice(i + 1))
    return [s.slice(0, i), Number.isFinite(port) ? port : 0]
  }
  const [aIp, aPort] = split(a)
  const [bIp, bPort] = b === '' ? ['', 0] : split(b)
  return { a, b, aIp, aPort, bIp, bPort }
}
