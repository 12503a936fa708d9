/**
 * The analyst's report title and notes, kept in the index's meta table so they stay with the capture (the
 * index is keyed by the capture's content) and reach every report made from it: the app's Export Report
 * and `peregrine report` on the same capture. No schema change: meta is a key/value table since v1.
 */
import { metaValue, openWritable } from './db'
import type { ReadableDb } from './db'

export interface AnalystNotes {
  title: string
  notes: string
}

const TITLE = 'report_title'
const NOTES = 'analyst_notes'

export function readNotes(db: ReadableDb): AnalystNotes {
  return { title: metaValue(db, TITLE) ?? '', notes: metaValue(db, NOTES) ?? '' }
}

/** The saved title and notes as report options: an empty one is not set (the default title, no notes). */
export function savedReportOptions(db: ReadableDb): { title?: string; notes: string | null } {
  const n = readNotes(db)
  return { ...(n.title === '' ? {} : { title: n.title }), notes: n.notes === '' ? null : n.notes }
}

/** Writes both (an empty string clears one) through a short-lived writable connection. */
export function writeNotes(indexPath: string, n: AnalystNotes): void {
  const db = openWritable(indexPath)
  try {
    const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
    db.transaction(() => {
      put.run(TITLE, n.title)
      put.run(NOTES, n.notes)
    })()
  } finally {
    db.close()
  }
}
