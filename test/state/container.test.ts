import { describe, expect, it } from 'vitest'
import { containerIdFromCgroup } from '../../src-main/engine/state/containers'
import { containerJson, fork, read } from './events'
import { base, checked } from './harness'

const ID = '3ad7b26ded6d1b9d2a4c5f0e6b7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7'
const FMT = '*%evt.type %evt.dir %proc.name %container.id %container.name %container.image'

describe('state: containers', () => {
  it.each([
    ['cpuset=/docker/' + ID, ID.slice(0, 12)],
    ['cpu=/system.slice/docker-' + ID + '.scope', ID.slice(0, 12)],
    ['cpu=/kubepods/besteffort/pod1/crio-' + ID, ID.slice(0, 12)],
    ['cpu=/kubepods.slice/cri-containerd-' + ID + '.scope', ID.slice(0, 12)],
    ['cpu=/machine.slice/libpod-' + ID + '.scope', ID.slice(0, 12)],
    ['cpu=/user.slice/user-1000.slice/session-1.scope', ''],
    ['cpuset=/docker/' + ID.slice(1), '']
  ])('cgroup %s → "%s"', (cg, want) => {
    expect(containerIdFromCgroup(cg.slice(cg.indexOf('=') + 1))).toBe(want)
  })

  it('the id comes from cgroups, name and image from container events; children inherit via clone cgroups', async () => {
    const w = base([
      { tid: 1, pid: 1, ptid: 0, comm: 'systemd', cwd: '/' },
      { tid: 500, pid: 500, ptid: 1, comm: 'nginx', cwd: '/', cgroups: ['cpuset=/docker/' + ID] }
    ])
    containerJson(w, { container: { id: ID.slice(0, 12), name: 'web', image: 'nginx:1.25', type: 0 } })
    read(w, 500, 0)
    read(w, 1, 0)
    containerJson(w, { container: { id: 'abcdef012345', name: 'later', image: 'busybox', type: 0 } })
    fork(
      w,
      { tid: 500, pid: 500, ptid: 1, comm: 'nginx', cgroups: ['cpuset=/docker/' + ID] },
      { tid: 501, pid: 501, ptid: 500, comm: 'nginx', cgroups: ['cpuset=/docker/' + ID] }
    )
    read(w, 501, 0)
    const out = await checked(w.toBuffer(), FMT, 'evt.dir=< or evt.type=container')
    expect(out).toEqual([
      // the leading container event is initial state: consumed, not shown
      'read < nginx 3ad7b26ded6d web nginx:1.25',
      'read < systemd host host <NA>',
      'container > container:abcdef012345 abcdef012345 later busybox',
      'clone < nginx 3ad7b26ded6d web nginx:1.25',
      'clone < nginx 3ad7b26ded6d web nginx:1.25',
      'read < nginx 3ad7b26ded6d web nginx:1.25'
    ])
  })
})
