// Public surface of the format stage: sysdig 0.29.3's text for event arguments, event-level fields and times.
// Other stages import from here (or from the files directly).
export type { BufferFormat, FdView, RenderContext, RenderOptions } from './render-context'
export { DEFAULT_RENDER_OPTIONS, EMPTY_CONTEXT, fdTypeChar, l4ProtoChar } from './render-context'
export { StateRenderContext } from './state-context'
export {
  argIndex,
  argType,
  evtArg,
  evtArgParts,
  evtDir,
  evtTypeName,
  renderEvtArgs,
  renderEvtInfo
} from './evt-info'
export { errnoName, flagNames, paramSpec, renderParam, visibleParams } from './param-render'
export type { ParamSpec, ParamText } from './param-render'
export {
  countsForFirstTs,
  eventCategory0293,
  eventFlags0293,
  evtBuffer,
  evtBuflen,
  evtCategory,
  evtFailed,
  evtIoDir,
  evtIsIo,
  evtIsIoRead,
  evtIsIoWrite,
  evtIsWait,
  evtRawArg,
  evtRawRes,
  evtRes
} from './evt-fields'
export { evtAbspath, evtIsOpen } from './evt-paths'
export {
  absOutputTimeText,
  absTimeText,
  datetimeSecText,
  datetimeText,
  durationText,
  humanTimeText,
  iso8601Text,
  localOffsetSeconds,
  nsPartText,
  rawTimeNsText,
  rawTimeSecText,
  rawTimeText,
  relNs,
  relTimeNsText,
  relTimeSecText,
  relTimeText,
  setLocalOffsetSeconds,
  splitNs,
  timeSecText,
  timeText
} from './time-text'
export { concatenatePaths, sanitizeText } from './path-text'
export { bytebufText } from './buffer-text'
export { ipv4At, ipv6At, sockaddrText, socktupleText } from './net-text'
export { decodeUtf8Escaped, encodeUtf8Escaped } from './byte-text'
