import type { Severity } from './capture-types'

/**
 * Every recoverable oddity the decoder reports, with a stable code and severity. "data-loss" means events or
 * state the capture meant to carry were not delivered; "warning" means the input breaks the format's rules
 * but nothing was lost; "info" means an unusual but legitimate construct.
 */
export const ANOMALIES = {
  'unknown-block': { severity: 'info', message: 'unknown block type skipped' },
  'unknown-event-type': {
    severity: 'data-loss',
    message: 'event type unknown to this reader (>= 454) skipped'
  },
  'event-not-in-0.29.3': {
    severity: 'info',
    message: 'event type unknown to sysdig 0.29.3 (>= 336) skipped, as sysdig does (eventSet "sysdig0293")'
  },
  'event-too-short': { severity: 'data-loss', message: 'event shorter than its header; skipped' },
  'event-len-exceeds-block': { severity: 'data-loss', message: 'event length exceeds its block; skipped' },
  'event-params-overflow': {
    severity: 'data-loss',
    message: 'event parameter lengths exceed the event length; skipped'
  },
  'event-too-many-params': {
    severity: 'data-loss',
    message: 'event claims more than 64 parameters; skipped'
  },
  'v1-nparams-unresolved': {
    severity: 'data-loss',
    message: 'V1 event: no parameter count matches the event length; skipped'
  },
  'v1-len-quirk': {
    severity: 'info',
    message: 'V1 NOTIFICATION/INFRASTRUCTURE event length 3 bytes too large (known writer quirk); corrected'
  },
  'event-block-options': {
    severity: 'info',
    message: 'event block carries bytes after the event (pcapng options, e.g. Wireshark comments); ignored'
  },
  'oversized-event-block': {
    severity: 'warning',
    message: 'non-LARGE event block above 64 KiB (libscap refuses it); decoded anyway'
  },
  'event-trailer-mismatch': {
    severity: 'warning',
    message: 'event block trailer length differs from its header length (libscap does not check it)'
  },
  'shb-options': { severity: 'info', message: 'section header carries pcapng options; skipped' },
  'metadata-after-events': {
    severity: 'warning',
    message: 'metadata block after events in a section (libscap refuses this); applied anyway'
  },
  'metadata-truncated-entry': {
    severity: 'data-loss',
    message: 'metadata entry runs past its block; rest of the block skipped'
  },
  'metadata-bad-fd-type': {
    severity: 'data-loss',
    message: 'FDL V1 entry with an unknown fd type: the rest of the block cannot be framed and was skipped'
  },
  'metadata-unknown-fd-type': {
    severity: 'warning',
    message:
      'FDL entry with an fd type newer than this reader; kept as UNSUPPORTED "unknown-type:[N]" as libscap does'
  },
  'metadata-bad-iface-type': {
    severity: 'data-loss',
    message: 'IL entry with an unknown address type skipped'
  },
  'metadata-bad-user-type': { severity: 'data-loss', message: 'UL entry with an unknown entry type skipped' },
  'machine-info-size': { severity: 'warning', message: 'machine info block body is not 180 bytes' },
  'gzip-trailing-garbage': {
    severity: 'warning',
    message: 'bytes after the end of the gzip stream that are not gzip data; ignored'
  },
  'empty-section': { severity: 'warning', message: 'section without any event (libscap refuses such a file)' }
} as const satisfies Record<string, { severity: Severity; message: string }>

export type AnomalyCode = keyof typeof ANOMALIES
