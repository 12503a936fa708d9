import type { FdInfo } from './fd-info'
import { CL, ThreadInfo } from './thread-info'
import type { FdTable } from './thread-info'

const PAGED = 1 << 22

/**
 * Threads by tid (sinsp_thread_manager). Lookups follow sinsp: a thread first seen in an event is made up
 * ("<NA>", pid -1) so that it is not looked up again; child threads count towards their main thread so
 * that a main thread with live threads is not dropped at its procexit.
 */
export class ThreadTable {
  /** Every thread, in insertion order (iteration follows sinsp's table order). */
  readonly map = new Map<number, ThreadInfo>()
  /**
   * The same threads indexed by tid in pages of 1024 (tids below 2^22): a per-event lookup is two array
   * reads instead of hashing a number.
   */
  private readonly pages: (ThreadInfo | undefined)[][] = []
  private nextUtid = 1
  /** Threads made up from a bare tid (anomaly count). */
  fakes = 0

  clear(): void {
    this.map.clear()
    this.pages.length = 0
  }

  get(tid: number): ThreadInfo | undefined {
    if (tid >= 0 && tid < PAGED) return this.pages[tid >>> 10]?.[tid & 1023]
    return this.map.get(smi(tid))
  }

  private index(tid: number, t: ThreadInfo | undefined): void {
    if (tid < 0 || tid >= PAGED) return
    let page = this.pages[tid >>> 10]
    if (page === undefined) {
      // Fill up to the page so the outer array stays packed.
      while (this.pages.length <= tid >>> 10)
        this.pages.push(new Array<ThreadInfo | undefined>(1024).fill(undefined))
      page = this.pages[tid >>> 10]
    }
    if (page !== undefined) page[tid & 1023] = t
  }

  /** sinsp get_thread_ref(tid, query_os=true): find, or create the "<NA>" placeholder (pid = tid, ptid -1). */
  getOrCreate(tid0: number): ThreadInfo {
    const t = this.get(tid0)
    if (t !== undefined) return t
    const tid = smi(tid0)
    const n = new ThreadInfo()
    n.tid = tid
    n.pid = tid
    n.ptid = -1
    n.comm = '<NA>'
    n.exe = '<NA>'
    this.fakes++
    this.add(n)
    return n
  }

  /** Inserts (replacing any thread with the same tid) and assigns surrogate ids. */
  add(t: ThreadInfo): void {
    t.tid = smi(t.tid)
    t.utid = this.nextUtid++
    this.map.delete(t.tid)
    this.map.set(t.tid, t)
    this.index(t.tid, t)
    if (t.pid === t.tid || t.pid === -1) t.upid = t.utid
    else {
      const m = this.map.get(t.pid)
      t.upid = m !== undefined ? m.upid : t.utid
    }
    this.countChild(t)
  }

  /** sinsp increment_mainthread_childcount. */
  countChild(t: ThreadInfo): void {
    if ((t.flags & CL.CLONE_THREAD) !== 0 && t.pid !== t.tid && t.pid !== -1) {
      const m = this.getOrCreate(t.pid)
      m.nchilds++
    }
  }

  /** sinsp remove_thread: kept while it has live threads unless forced. */
  remove(tid0: number, force: boolean): void {
    const tid = smi(tid0)
    const t = this.map.get(tid)
    if (t === undefined) return
    if (t.nchilds !== 0 && !force) return
    this.index(tid, undefined)
    if ((t.flags & CL.CLONE_THREAD) !== 0 && t.pid !== -1) {
      const m = this.map.get(t.pid)
      if (m !== undefined && m.nchilds > 0) m.nchilds--
    }
    this.map.delete(tid)
  }

  /** sinsp get_main_thread (which makes up a missing main thread, like sinsp). */
  main(t: ThreadInfo): ThreadInfo | undefined {
    if (t.pid === t.tid) return t
    const m = t.mainCache
    if (m !== null && this.map.get(m.tid) === m) return m
    if (t.pid === -1) return undefined
    const n = this.getOrCreate(t.pid)
    t.mainCache = n
    return n
  }

  /** sinsp get_fd_table: own table unless CLONE_FILES (then the main thread's). */
  fdTable(t: ThreadInfo): FdTable | undefined {
    if ((t.flags & CL.CLONE_FILES) === 0) return t.fds
    return this.main(t)?.fds
  }

  getFd(t: ThreadInfo, fd: number): FdInfo | undefined {
    if (fd < 0) return undefined
    return this.fdTable(t)?.get(smi(fd))
  }

  /** sinsp get_cwd: the main thread's cwd, "./" without one. */
  cwd(t: ThreadInfo): string {
    return this.main(t)?.cwd ?? './'
  }
}

/**
 * Map keys as small integers when they fit: values decoded from 64-bit fields are heap doubles, which
 * hash much slower than small integers in V8's Map.
 */
export function smi(n: number): number {
  return n === (n | 0) ? n | 0 : n
}
