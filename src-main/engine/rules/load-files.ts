/**
 * Loads rules files from disk (directories expand to their sorted YAML files) with a field registry for the
 * per-rule checks, as `peregrine scan` and `peregrine rules` do. An unreadable file is a LOAD_ERR_FILE_READ
 * error, like Falco's.
 */
import { readFileSync } from 'node:fs'
import type { FieldRegistry } from '../filter/field-registry'
import { expandRulePaths } from './default-rules'
import type { Diagnostic } from './loader/diagnostics'
import type { FileInput, LoadResult } from './loader/load-rules'
import { loadRules } from './loader/load-rules'
import { checkerFor } from './ruleset'

export const KNOWN_SOURCES = ['syscall'] as const

export function fieldCheck<C>(registry: FieldRegistry<C> | undefined): (field: string) => boolean {
  if (registry === undefined) return () => true
  return (field) => registry.lookup(field.replace(/\[.*$/s, '')) !== undefined
}

export interface FilesLoad extends LoadResult {
  files: string[]
}

export function loadRuleTexts<C>(
  inputs: readonly FileInput[],
  registry: FieldRegistry<C> | undefined
): LoadResult {
  const opts = { isFieldDefined: fieldCheck(registry), knownSources: KNOWN_SOURCES }
  return loadRules(inputs, registry === undefined ? opts : { ...opts, checker: checkerFor(registry) })
}

export function loadRuleFiles<C>(
  paths: readonly string[],
  registry: FieldRegistry<C> | undefined
): FilesLoad {
  const files = expandRulePaths(paths)
  const inputs: FileInput[] = []
  for (const f of files) {
    try {
      inputs.push({ name: f, text: readFileSync(f, 'utf8') })
    } catch (e: unknown) {
      const d: Diagnostic = {
        severity: 'error',
        code: 'LOAD_ERR_FILE_READ',
        message: `Could not read file ${f}: ${e instanceof Error ? e.message : String(e)}`,
        file: f,
        itemType: 'rules content',
        itemName: ''
      }
      const empty = loadRuleTexts([], registry)
      return { ...empty, ok: false, diagnostics: [d], files }
    }
  }
  return { ...loadRuleTexts(inputs, registry), files }
}
