/** user.* and group.* fields: the thread's uid/gid looked up in the capture's user list. */
import { field } from './define'
import type { Def } from './define'

export const USER_FIELDS: Def[] = [
  field('user.uid', 'uint', 'user ID.', (c) => c.tinfo?.uid),
  field('user.name', 'string', 'user name.', (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : c.state.users.get(t.uid)?.name
  }),
  field('user.homedir', 'string', 'home directory of the user.', (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : c.state.users.get(t.uid)?.homedir
  }),
  field('user.shell', 'string', "user's shell.", (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : c.state.users.get(t.uid)?.shell
  }),
  field('user.loginuid', 'int', 'audit user id (auid), -1 when unset.', (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : t.loginuid | 0
  }),
  field('user.loginname', 'string', 'audit user name (auid).', (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : c.state.users.get(t.loginuid)?.name
  }),
  field('group.gid', 'uint', 'group ID.', (c) => c.tinfo?.gid),
  field('group.name', 'string', 'group name.', (c) => {
    const t = c.tinfo
    return t === undefined ? undefined : c.state.groups.get(t.gid)?.name
  })
]
