/**
 * The bridge from the UI's contract to the index and query API (issue 4): index a capture in the worker,
 * then answer every query channel from the index. Kept thin: it maps arguments and results, nothing more.
 */
import type { IndexOpener } from './capture-session'

export const openIndex: IndexOpener = () =>
  Promise.reject(new Error('the SQLite index and query API (src-main/engine/index, query) are not built yet'))
