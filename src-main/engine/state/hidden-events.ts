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
 * Which events `sysdig -r` prints, and their evt.num. Besides internal types and STATE_ONLY events, sinsp
 * consumes the container events at the head of a capture as initial state (consume_initialstate_events):
 * numbered and parsed but never returned. At the head of a later section (concatenated captures) they are
 * skipped when sinsp restarts the capture and not even numbered. Container events elsewhere do show.
 */
export class EventVisibility {
  private leading = true
  private laterSection = false
  /** Events skipped without a number so far (evt.num = decoder position − this). */
  private unnumbered = 0

  /** Call at each section header (index 0 = the first). */
  section(index: number): void {
    this.leading = true
    this.laterSection = index > 0
  }

  /**
   * Renumbers the event (ev.num) as sysdig would and tells whether it is shown. Returns 'drop' for events
   * sysdig skips entirely (they take no number); call once per event, in order.
   */
  classify(ev: ScapEvent): 'show' | 'hide' | 'drop' {
    if (this.leading) {
      if (INITIAL_STATE[ev.type] === 1) {
        if (this.laterSection) {
          this.unnumbered++
          return 'drop'
        }
        ev.num -= this.unnumbered
        return 'hide'
      }
      this.leading = false
    }
    ev.num -= this.unnumbered
    return HIDDEN[ev.type] !== 1 && (ev.dumpFlags & DF_STATE_ONLY) === 0 ? 'show' : 'hide'
  }
}
