/** Markdown documentation of the index schema, generated from the table definitions (docs/index-schema.md). */
import { MIGRATIONS, MIN_READABLE_VERSION, SCHEMA_VERSION } from '../migrations/list'
import { FTS_TABLE, TABLES } from './tables'

const esc = (s: string): string => s.replace(/\|/g, '\\|')

export function schemaMarkdown(): string {
  const L: string[] = []
  L.push(
    '<!-- GENERATED from src-main/engine/index/schema/tables.ts by test/index/schema-doc.test.ts (UPDATE_GOLDEN=1); do not edit -->'
  )
  L.push('')
  L.push('# Peregrine index schema')
  L.push('')
  L.push(
    `Schema version ${SCHEMA_VERSION} (\`PRAGMA user_version\`). Migrations: ${MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`).join(', ')} (src-main/engine/index/migrations/).`
  )
  L.push('')
  L.push(
    '- Times are INTEGER nanoseconds relative to `capture.base_ts` (decimal u64 ns since the epoch); absolute = base_ts + ts.'
  )
  L.push(
    '- Repeated strings (fd names, paths) are interned in `strings`; `upid`/`utid` are surrogate process/thread ids (pids recycle).'
  )
  L.push(
    '- An index is complete when `meta.state` = `complete`; builds write a temporary file renamed only when complete.'
  )
  L.push(
    `- An index older than version ${MIN_READABLE_VERSION} lacks data only its capture holds: it is not reused but rebuilt (opening it directly fails rather than answering wrongly); newer versions migrate in place.`
  )
  L.push(
    '- `events` has no secondary index (each would cost seconds on millions of rows); `event_postings` are its access paths.'
  )
  L.push('')
  for (const t of TABLES) {
    L.push(`## ${t.name}${t.since > 1 ? ` (since version ${t.since})` : ''}`)
    L.push('')
    L.push(t.doc)
    L.push('')
    L.push('| column | type | meaning |')
    L.push('| --- | --- | --- |')
    for (const c of t.columns) {
      const flags = [c.pk === true ? 'key' : '', c.required === true ? 'not null' : '']
        .filter((x) => x !== '')
        .join(', ')
      L.push(`| ${c.name} | ${c.type}${flags === '' ? '' : ` (${flags})`} | ${esc(c.doc)} |`)
    }
    if ((t.indexes ?? []).length > 0) {
      L.push('')
      L.push(
        'Indexes (built after the bulk load): ' +
          (t.indexes ?? [])
            .map((i) => `\`${i.name}\` (${i.on}${i.where === undefined ? '' : ` where ${i.where}`})`)
            .join(', ')
      )
    }
    L.push('')
  }
  L.push(`## ${FTS_TABLE.name} (FTS5)`)
  L.push('')
  L.push(FTS_TABLE.doc)
  L.push('')
  L.push(`Columns: ${FTS_TABLE.columns.join(', ')}.`)
  L.push('')
  return L.join('\n')
}
