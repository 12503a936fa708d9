// Every MITRE tactic tag and technique id used by Peregrine's default rules and by the published Falco rules
// (0.26, 0.29, 0.32 and the latest rules repository) has a name in the report's ATT&CK table.
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tacticOf, techniqueLabel, techniqueOf, mitreOfTags } from '../../src-main/engine/report/mitre'

const ROOT = resolve(__dirname, '../..')
const FALCO = resolve(ROOT, '../shared/falco-rules')

function ruleFiles(): string[] {
  const out = [join(ROOT, 'rules/peregrine-rules.yaml')]
  for (const d of readdirSync(FALCO, { withFileTypes: true }))
    if (d.isDirectory())
      for (const f of readdirSync(join(FALCO, d.name)))
        if (f.endsWith('.yaml')) out.push(join(FALCO, d.name, f))
  return out
}

function tagsOf(file: string): string[] {
  const tags: string[] = []
  for (const m of readFileSync(file, 'utf8').matchAll(/^\s*tags:\s*\[([^\]]*)\]/gm))
    tags.push(...(m[1] ?? '').split(',').map((t) => t.trim()))
  return tags
}

const NOT_TACTICS = new Set(['mitre_port_knocking', 'mitre_remote_access_tools', 'mitre_remote_service'])

describe('MITRE ATT&CK names', () => {
  const files = ruleFiles()
  it('reads the rule files', () => {
    expect(files.length).toBeGreaterThanOrEqual(6)
  })
  for (const f of files)
    it(`names every tactic and technique of ${f.replace(resolve(ROOT, '..'), '..')}`, () => {
      const m = mitreOfTags(tagsOf(f))
      expect(m.tactics.length + m.techniques.length).toBeGreaterThan(0)
      expect(m.tactics.filter((t) => t.id === null && !NOT_TACTICS.has(t.tag)).map((t) => t.tag)).toEqual([])
      expect(m.techniques.filter((t) => t.name === null).map((t) => t.id)).toEqual([])
    })

  const cases: [string, string][] = [
    ['T1059.004', 'T1059.004 Command and Scripting Interpreter: Unix Shell'],
    ['T1611', 'T1611 Escape to Host'],
    ['T1552.999', 'T1552.999 Unsecured Credentials (sub-technique)'],
    ['T9999', 'T9999']
  ]
  for (const [id, label] of cases)
    it(`labels ${id}`, () => {
      expect(techniqueLabel(techniqueOf(id))).toBe(label)
    })
  it('maps tactic tags to ATT&CK ids', () => {
    expect(tacticOf('mitre_credential_access')).toEqual({
      tag: 'mitre_credential_access',
      id: 'TA0006',
      name: 'Credential Access'
    })
    expect(tacticOf('mitre_new_thing')).toEqual({ tag: 'mitre_new_thing', id: null, name: 'New Thing' })
  })
})
