/** The capture stage's public surface: decode a .scap file or buffer into a visitor. */
export { readCapture, readCaptureBuffer } from './read-capture'
export { ScapEvent, MAX_PARAMS } from './scap-event'
export { ANOMALIES, type AnomalyCode } from './anomaly-codes'
export { BLOCK, blockName } from './block-types'
export type {
  Anomaly,
  CaptureError,
  CaptureVisitor,
  FdEntry,
  GroupEntry,
  InterfaceEntry,
  MachineInfo,
  ProcEntry,
  ReadOptions,
  ReadSummary,
  SectionHeader,
  Severity,
  UserEntry
} from './capture-types'
export { FdType } from './capture-types'
export { StatsCollector, type CaptureStats } from './capture-stats'
export { containerIdFromCgroups } from './container-id'
