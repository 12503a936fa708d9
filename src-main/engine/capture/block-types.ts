/**
 * Block type numbers of the .scap format (spec §2). Several blocks have an older "_INT" alias (pre-release
 * numbers written by the earliest sysdig builds); they decode exactly like the main number.
 */
export const BLOCK = {
  SHB: 0x0a0d0d0a,
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  FDL_V1: 0x203,
  FDL_V1_INT: 0x8001abcd,
  FDL_V2: 0x218,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  EVF: 0x208,
  EV_V2: 0x216,
  EVF_V2: 0x217,
  EV_V2_LARGE: 0x221,
  EVF_V2_LARGE: 0x222,
  IL_V1: 0x205,
  IL_V1_INT: 0x8011abcd,
  IL_V2: 0x219,
  UL_V1: 0x206,
  UL_V1_INT: 0x8012abcd,
  UL_V2: 0x220
} as const

/** SHB byte-order magic as read little-endian; the byte-swapped value marks a big-endian section. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a

/** Block types of pcapng *network* captures (same SHB): IDB, PB, SPB, NRB, ISB, EPB, DSB, custom. */
export const PCAPNG_NETWORK_BLOCKS: ReadonlyMap<number, string> = new Map([
  [0x1, 'interface description'],
  [0x2, 'packet'],
  [0x3, 'simple packet'],
  [0x4, 'name resolution'],
  [0x5, 'interface statistics'],
  [0x6, 'enhanced packet'],
  [0xa, 'decryption secrets'],
  [0xbad, 'custom'],
  [0x40000bad, 'custom']
])

const NAMES = new Map<number, string>()
for (const [name, code] of Object.entries(BLOCK)) {
  if (!NAMES.has(code)) NAMES.set(code, name.replace(/_INT$/, ''))
}

/** Stable block name for counts and messages ("EV_V2", "PL_V9", "UNKNOWN_0x300"). */
export function blockName(type: number): string {
  return NAMES.get(type) ?? `UNKNOWN_0x${(type >>> 0).toString(16)}`
}

/** PL block type → PL version (1..9), 0 when not a PL block. */
export function plVersion(type: number): number {
  switch (type) {
    case BLOCK.PL_V1:
    case BLOCK.PL_V1_INT:
      return 1
    case BLOCK.PL_V2:
    case BLOCK.PL_V2_INT:
      return 2
    case BLOCK.PL_V3:
    case BLOCK.PL_V3_INT:
      return 3
    case BLOCK.PL_V4:
      return 4
    case BLOCK.PL_V5:
      return 5
    case BLOCK.PL_V6:
      return 6
    case BLOCK.PL_V7:
      return 7
    case BLOCK.PL_V8:
      return 8
    case BLOCK.PL_V9:
      return 9
    default:
      return 0
  }
}
