import type { ScapEvent } from '../capture/scap-event'

/** STATE_ONLY dump flag: applied to state, never shown. */
const DF_STATE_ONLY = 1

/**
 * Event codes sysdig treats as internal and does not print, although they are numbered (evt.num counts
 * them): process-info snapshots, scap/sysdig meta events, k8s/mesos state, notifications.
 */
const HIDDEN = new Uint8Array(512)
for (const c of [234, 235, 196, 197, 260, 261, 270, 271, 280, 281, 286, 287]) HIDDEN[c] = 1

/** Container descriptions: part of the initial state when they lead the capture. */
const INITIAL_STATE = new Uint8Array(512)
for (const c of [228, 272, 324]) INITIAL_STATE[c] = 1

/**
 * Which events `sysdig -r` prints. Besides internal types and STATE_ONLY events, sinsp consumes the
 * container events at the head of a capture as initial state (consume_initialstate_events): they are
 * numbered and parsed but never returned. Later container events do show.
 */
export class EventVisibility {
  private leading = true

  /** True when the event is shown; call once per event, in order. */
  shown(ev: ScapEvent): boolean {
    if (this.leading) {
      if (INITIAL_STATE[ev.type] === 1) return false
      this.leading = false
    }
    return HIDDEN[ev.type] !== 1 && (ev.dumpFlags & DF_STATE_ONLY) === 0
  }
}
