// docs/index-schema.md is generated from the table definitions; this keeps it in step (UPDATE_GOLDEN=1 rewrites it).
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { schemaMarkdown } from '../../src-main/engine/index/schema/docs'
import { TABLES } from '../../src-main/engine/index/schema/tables'

const DOC = resolve(__dirname, '../../docs/index-schema.md')

describe('docs/index-schema.md', () => {
  it('documents every table and column of the schema', async () => {
    // formatted as the repository's prettier would, so `prettier --check` agrees with the generated file
    const md = await format(schemaMarkdown(), { ...(await resolveConfig(DOC)), parser: 'markdown' })
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(DOC)) writeFileSync(DOC, md)
    expect(readFileSync(DOC, 'utf8')).toBe(md)
    for (const t of TABLES) {
      expect(md).toContain(`## ${t.name}`)
      for (const c of t.columns) expect(md).toMatch(new RegExp(`\\| ${c.name} +\\|`))
    }
  })
})
