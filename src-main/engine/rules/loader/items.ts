/** The collected state of a rules load: lists, macros and rules as Falco's collector keeps them. */
import type { SourcePos } from './yaml-reader'

/** Where an item (or a part of it) came from. */
export interface ItemSource {
  file: string
  pos: SourcePos
}

export interface ListDef {
  name: string
  items: string[]
  /** Position of the first definition in read order (a global counter shared by lists, macros and rules). */
  index: number
  /** Counter value of the latest definition or append: the list may use lists whose index is below it. */
  visibility: number
  source: ItemSource
  used: boolean
}

export interface MacroDef {
  name: string
  condition: string
  index: number
  visibility: number
  source: ItemSource
  /** Where the condition text starts (error columns inside the condition are relative to it). */
  condSource: ItemSource
  used: boolean
}

/** One value of an exception tuple: a scalar, or a YAML list that becomes `(a, b, …)`. */
export type ExceptionValue = string | string[]

export interface ExceptionDef {
  name: string
  /** A list of fields (tuple form) or one field (single-field form). */
  fields: string | string[]
  /** Absent ⇒ defaults: `=` per field for the tuple form, `in` for the single-field form. */
  comps?: string | string[]
  /** Tuple form: one tuple per value; single-field form: the flat list of values. */
  values: ExceptionValue[][] | string[]
  source: ItemSource
}

export const PRIORITY_NAMES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug'
] as const

export interface RuleDef {
  name: string
  condition: string
  output: string
  desc: string
  /** 0 = emergency … 7 = debug. */
  priority: number
  source: string
  enabled: boolean
  tags: string[]
  exceptions: ExceptionDef[]
  warnEvttypes: boolean
  skipIfUnknownFilter: boolean
  capture: boolean
  captureDuration: number
  index: number
  itemSource: ItemSource
  condSource: ItemSource
  outputSource: ItemSource
}

export interface PluginRequirement {
  name: string
  version: string
  alternatives: { name: string; version: string }[]
}

export interface CollectedRules {
  lists: Map<string, ListDef>
  macros: Map<string, MacroDef>
  rules: Map<string, RuleDef>
  /** The highest `required_engine_version` seen (as written). */
  requiredEngineVersions: { file: string; version: string }[]
  requiredPluginVersions: { file: string; requirements: PluginRequirement[] }[]
  /** File texts by name, for excerpts. */
  texts: Map<string, { text: string; lineStarts: number[] }>
}

/** Parses a priority name as Falco does (case-insensitive, `info` accepted). */
export function parsePriority(s: string): number | undefined {
  const v = s.trim().toLowerCase()
  const names = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug']
  const i = names.indexOf(v)
  if (i >= 0) return i
  if (v === 'info') return 6
  return undefined
}

export function priorityName(p: number): string {
  return PRIORITY_NAMES[p] ?? 'Debug'
}
