/**
 * Event type → state parser. Only state-changing types have an entry; everything else costs one array
 * lookup. STORE_ENTER marks enter events whose parameters the exit parser needs (sinsp store_event).
 */
import { FdType } from '../../capture/capture-types'
import type { ScapEvent } from '../../capture/scap-event'
import { EVENT_TABLE } from '../../capture/schema/event-table.generated'
import type { StateEngine } from '../state-engine'
import {
  closeEnter,
  closeExit,
  dupExit,
  fcntlEnter,
  fcntlExit,
  openExit,
  pipeExit,
  singleFdExit
} from './file'
import { containerEvt, containerJsonEvt, groupAdded, userAdded } from './meta'
import {
  acceptExit,
  bindExit,
  connectEnter,
  connectExit,
  rwExit,
  sendtoEnter,
  socketExit,
  socketpairExit
} from './net'
import {
  chdirExit,
  chrootExit,
  cloneExit,
  execveExit,
  fchdirExit,
  getcwdExit,
  procexit,
  setIdExit,
  setsidExit
} from './process'

export type Handler = (s: StateEngine, ev: ScapEvent) => void

const N = EVENT_TABLE.length
export const HANDLERS: (Handler | undefined)[] = new Array<Handler | undefined>(N).fill(undefined)
export const STORE_ENTER = new Uint8Array(N)

function on(codes: number[], h: Handler): void {
  for (const c of codes) HANDLERS[c] = h
}

// Enter events sinsp 0.29.3 stores for their exit: open/creat/openat(old, 2, openat2), socket, eventfd,
// chdir, fchdir, link(at), mkdir, rmdir, shutdown, (get|set|pr)limit, sendmsg, sendfile, set(res)(u|g)id,
// setpgid, unlink(at), execve 18/19, execveat, unshare, setns. sendto and fcntl have handlers that store.
// 1 = only its presence matters (the exit checks it came), 2 = the exit parser reads its parameters.
for (const c of [62, 94, 96, 104, 106, 98, 100, 36, 140, 142, 144, 188, 294, 108, 110, 284, 240]) {
  STORE_ENTER[c] = 1
}
// open/creat/openat_2/openat2 exits take name, dirfd and flags from their enter (see openExit).
for (const c of [2, 58, 306, 326, 102, 18, 48, 192, 194, 198, 200, 288, 292, 330]) STORE_ENTER[c] = 2

// Process
on([15, 157, 217, 223, 183, 219, 225, 185, 221, 227, 335], cloneExit)
on([13, 155, 173, 215, 231, 283, 289, 293, 331], execveExit)
on([16, 186], (s) => {
  procexit(s)
})
on([95], chdirExit)
on([97], fchdirExit)
on([93], getcwdExit)
on([267], chrootExit)
on([275], setsidExit)
on([199], (s, ev) => {
  setIdExit(s, ev, 'uid', 0)
})
on([201], (s, ev) => {
  setIdExit(s, ev, 'gid', 0)
})
on([193], (s, ev) => {
  setIdExit(s, ev, 'uid', 1)
})
on([195], (s, ev) => {
  setIdExit(s, ev, 'gid', 1)
})

// Files
on([3, 59, 103, 307, 327], openExit)
on([4], (s) => {
  closeEnter(s)
})
on([5], closeExit)
on([125], dupExit)
on([150], fcntlEnter)
on([151], fcntlExit)
on([61], pipeExit)
on([63, 397], (s, ev) => {
  singleFdExit(s, ev, FdType.EVENT)
})
on([127, 399], (s, ev) => {
  singleFdExit(s, ev, FdType.SIGNALFD)
})
on([137], (s, ev) => {
  singleFdExit(s, ev, FdType.TIMERFD)
})
on([139, 395], (s, ev) => {
  singleFdExit(s, ev, FdType.INOTIFY)
})

// Network
on([19], socketExit)
on([21], bindExit)
on([22], connectEnter)
on([23], connectExit)
on([27, 247, 57, 249, 389], acceptExit)
on([43], socketpairExit)
on([30], sendtoEnter)
for (const c of [7, 33, 35, 53, 117, 113, 121])
  HANDLERS[c] = (s, ev) => {
    rwExit(s, ev, true)
  }
for (const c of [9, 29, 31, 49, 119, 115, 123])
  HANDLERS[c] = (s, ev) => {
    rwExit(s, ev, false)
  }

// Meta
on([228], containerEvt)
on([272, 324], containerJsonEvt)
on([354], userAdded)
on([358], groupAdded)
