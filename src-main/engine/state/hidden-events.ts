import type { ScapEvent } from '../capture/scap-event'

/** STATE_ONLY dump flag: applied to state, never shown. */
const DF_STATE_ONLY = 1

/**
 * Event codes sysdig treats as internal (EC_INTERNAL) and does not print, although they are numbered
 * (evt.num counts them): process-info snapshots, scap/sysdig meta events, container descriptions,
 * k8s/mesos state, notifications. Container descriptions do show (as a made-up container thread).
 */
const HIDDEN = new Uint8Array(512)
for (const c of [234, 235, 196, 197, 260, 261, 270, 271, 280, 281, 286, 287]) {
  HIDDEN[c] = 1
}

/** True for events `sysdig -r` does not print. */
export function isHiddenEvent(ev: ScapEvent): boolean {
  if (HIDDEN[ev.type] === 1 || (ev.dumpFlags & DF_STATE_ONLY) !== 0) return true
  // Events without a timestamp (container descriptions written at the head of old captures) never show.
  return ev.tsHi === 0 && ev.tsLo === 0
}
