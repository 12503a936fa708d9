/** Meta events: container descriptions and (current libs) users/groups added at runtime. */
import type { ScapEvent } from '../../capture/scap-event'
import { blank } from '../containers'
import type { StateEngine } from '../state-engine'
import { ThreadInfo } from '../thread-info'

export function containerEvt(s: StateEngine, ev: ScapEvent): void {
  const c = blank(ev.str(0) ?? '')
  c.type = ev.int(1) ?? 0
  c.name = ev.str(2) ?? ''
  c.image = ev.str(3) ?? ''
  s.containers.set(c)
}

export function containerJsonEvt(s: StateEngine, ev: ScapEvent): void {
  const b = ev.bytes(0)
  if (b === undefined) return
  let end = b.length
  while (end > 0 && b[end - 1] === 0) end--
  const id = s.containers.addJson(b.toString('utf8', 0, end))
  if (id === undefined) {
    s.count('container-json-invalid')
    return
  }
  // sinsp shows the event as coming from a made-up thread of the container (container_info::get_tinfo).
  const t = new ThreadInfo()
  t.tid = -1
  t.pid = -1
  t.ptid = 0
  t.vtid = -2
  t.vpid = -2
  t.comm = `container:${id}`
  t.exe = t.comm
  t.uid = 0
  t.gid = 0
  t.containerId = id
  s.tinfo = t
}

export function userAdded(s: StateEngine, ev: ScapEvent): void {
  const uid = (ev.int(0) ?? 0) >>> 0
  s.users.set(uid, {
    uid,
    gid: (ev.int(1) ?? 0) >>> 0,
    name: ev.str(2) ?? '',
    homedir: ev.str(3) ?? '',
    shell: ev.str(4) ?? ''
  })
}

export function groupAdded(s: StateEngine, ev: ScapEvent): void {
  const gid = (ev.int(0) ?? 0) >>> 0
  s.groups.set(gid, { gid, name: ev.str(1) ?? '' })
}
