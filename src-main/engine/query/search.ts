/**
 * Read model: full-text search (FTS5, trigram tokenizer: any substring of 3+ characters) over command lines,
 * executables, working directories, file paths and connection names. Shorter texts fall back to LIKE.
 */
import type { SearchHit } from '../../common/model/types'
import type { QueryDb } from './query-db'

export function search(q: QueryDb, text: string, limit = 100): SearchHit[] {
  const t = text.trim()
  if (t === '') return []
  let rows: { text: string; kind: string; ref: number }[]
  if (Array.from(t).length >= 3) {
    // a phrase query: the text is quoted, so FTS5 syntax in it is inert
    const phrase = '"' + t.replace(/"/g, '""') + '"'
    rows = q
      .q('SELECT text, kind, ref FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?')
      .all(phrase, limit) as typeof rows
  } else {
    const like = '%' + t.replace(/[\\%_]/g, (c) => '\\' + c) + '%'
    rows = q
      .q("SELECT text, kind, ref FROM search WHERE text LIKE ? ESCAPE '\\' LIMIT ?")
      .all(like, limit) as typeof rows
  }
  return rows.map((r) => {
    const proc = r.kind === 'cmdline' || r.kind === 'exe' || r.kind === 'cwd'
    return { kind: proc ? 'process' : 'file', upid: proc ? r.ref : null, text: r.text }
  })
}
