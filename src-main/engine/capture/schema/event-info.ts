/** One parameter of an event layout: [name, PT type id, index of the dirfd parameter for FSRELPATH]. */
export type ParamInfo = readonly [name: string, type: number, dirfdParam?: number]

/** One row of the event table (see scripts/gen-event-table.mjs and ../shared/spec/ppme_table.tsv). */
export interface EventInfo {
  readonly code: number
  readonly enumName: string
  /** evt.type as shown by sysdig ("syscall" for the generic event: the real name comes from the ID param). */
  readonly name: string
  /** 'E' enter (">") or 'X' exit ("<"). */
  readonly dir: 'E' | 'X'
  /** EF_* bit set, bit i = EF_NAMES[i]. */
  readonly flags: number
  /** The current (libs HEAD) layout. */
  readonly params: readonly ParamInfo[]
  /** The layout known to sysdig 0.29.3's libs, or null when that version does not know this code. */
  readonly params0293: readonly ParamInfo[] | null
}
