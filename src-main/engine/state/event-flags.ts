/**
 * Event flags as sysdig 0.29.3 sees them. The generated table carries the current (libs HEAD) flags;
 * a few events gained fd flags later (their fd moved into the exit, or is not the first parameter), which
 * would change which events show fd.* fields. Those are corrected here.
 */
import { EF, EVENT_TABLE } from '../capture/schema/event-table.generated'

const N = EVENT_TABLE.length
const FD_ALL = EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD | EF.READS_FROM_FD | EF.WRITES_TO_FD

/** Flags per event code, 0.29.3 semantics. */
export const FLAGS_0293 = new Uint32Array(N)

/** Codes whose 0.29.3 flags differ from HEAD: [code, flags to clear, flags to set]. */
const OVERRIDES: [number, number, number][] = [
  // mmap/mmap2: HEAD marks them USES_FD (fd is param 4); 0.29.3 does not.
  [160, EF.USES_FD, 0],
  [161, EF.USES_FD, 0],
  [162, EF.USES_FD, 0],
  [163, EF.USES_FD, 0],
  // sendmmsg/recvmmsg: no parameters and no flags in 0.29.3.
  [50, FD_ALL, 0],
  [51, FD_ALL, 0],
  [54, FD_ALL, 0],
  [55, FD_ALL, 0]
]

for (let i = 0; i < N; i++) FLAGS_0293[i] = EVENT_TABLE[i]?.flags ?? 0
for (const [code, clear, set] of OVERRIDES) {
  FLAGS_0293[code] = ((FLAGS_0293[code] ?? 0) & ~clear) | set
}

/** Parameter count of each event's 0.29.3 layout (the current one for codes 0.29.3 does not know). */
const NP0293 = new Uint16Array(N)
for (let i = 0; i < N; i++) {
  const info = EVENT_TABLE[i]
  NP0293[i] = info?.params0293?.length ?? info?.params.length ?? 0
}

/** Number of parameters sysdig 0.29.3 exposes for this event (its layout length, capped by the event). */
export function nparams0293(type: number, nparams: number): number {
  const known = NP0293[type] ?? 0
  return nparams < known ? nparams : known
}

export const FD_FLAGS = EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD
