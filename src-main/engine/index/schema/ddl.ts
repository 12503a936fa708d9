import { FTS_TABLE, type IndexDef, type TableDef } from './tables'

/** DDL for one table as of a schema version (columns added later are left out). */
export function createTableSql(t: TableDef, version: number): string {
  const cols = t.columns.filter((col) => (col.since ?? t.since) <= version)
  const pks = cols.filter((col) => col.pk === true)
  const single = pks.length === 1 && pks[0]?.type === 'INTEGER' && t.withoutRowid !== true
  const lines = cols.map((col) => {
    let s = `${col.name} ${col.type}`
    if (single && col.pk === true) s += ' PRIMARY KEY'
    if (col.required === true) s += ' NOT NULL'
    return s
  })
  if (!single && pks.length > 0) lines.push(`PRIMARY KEY (${pks.map((p) => p.name).join(', ')})`)
  return `CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n)${t.withoutRowid === true ? ' WITHOUT ROWID' : ''}`
}

export function createIndexSql(t: TableDef, ix: IndexDef): string {
  const where = ix.where === undefined ? '' : ` WHERE ${ix.where}`
  return `CREATE INDEX IF NOT EXISTS ${ix.name} ON ${t.name} (${ix.on})${where}`
}

export function createFtsSql(): string {
  return `CREATE VIRTUAL TABLE ${FTS_TABLE.name} USING fts5(text, kind UNINDEXED, ref UNINDEXED, tokenize = 'trigram')`
}
