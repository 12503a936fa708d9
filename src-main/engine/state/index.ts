/**
 * The state stage: what libsinsp does between the decoder and the fields. Feed a StateEngine the decoder's
 * callbacks and `process(ev)` every event in order; afterwards `tinfo`/`fdinfo` are the event's thread and fd
 * as sysdig 0.29.3 resolves them. EventVisibility says which events `sysdig -r` prints and renumbers them.
 */
export { StateEngine, type StateCounters } from './state-engine'
export { EventVisibility } from './hidden-events'
export { ThreadInfo, CL, type FdTable } from './thread-info'
export { ThreadTable } from './thread-table'
export { FdInfo, fdTypeString, fdTypeChar, L4 } from './fd-info'
export { Containers, containerIdFromCgroup, type ContainerInfo } from './containers'
export { concatPaths, normaliseCwd } from './paths'
export { socktupleText, sockaddrText, ipv4At, ipv6At } from './net-addr'
export { FLAGS_0293, nparams0293 } from './event-flags'
