/** Meta events: container descriptions and (current libs) users/groups added at runtime. */
import type { ScapEvent } from '../../capture/scap-event'
import { blank } from '../containers'
import type { StateEngine } from '../state-engine'

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
  if (!s.containers.addJson(b.toString('utf8', 0, end))) s.count('container-json-invalid')
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
