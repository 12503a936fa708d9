/**
 * Applies the items of rules files, in order, to the collected state with Falco's semantics: one global index
 * counter across lists, macros and rules; a redefinition replaces the value but keeps the first definition's
 * index (and bumps visibility); `append`/`override` append or replace per key; enabled-only items. Item kind is
 * the first key found in the order required_engine_version, required_plugin_versions, list, macro, rule.
 */
import type { Diagnostic, ErrorCode, ItemType, WarningCode } from './diagnostics'
import {
  ExceptionLoadError,
  LoadError,
  entry,
  has,
  optBool,
  optInt,
  optString,
  reqString,
  stringSeq
} from './decode'
import { readExceptions, validateException, mergeExceptions } from './exception-items'
import type { CollectedRules, ExceptionDef, PluginRequirement, RuleDef } from './items'
import { parsePriority } from './items'
import { checkEngineVersion, checkPluginRequirements } from './versions'
import type { SourcePos, YMap, YNode } from './yaml-reader'
import { excerptAt, readYaml } from './yaml-reader'

export interface CollectorOptions {
  /** Exception fields must be known filter fields. */
  isFieldDefined: (field: string) => boolean
  /** Sources with a field registry; rules of other sources are skipped with a warning. */
  knownSources: readonly string[]
}

const LIST_KEYS = new Set(['list', 'items', 'append', 'override'])
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override'])
const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'source',
  'enabled',
  'tags',
  'exceptions',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'capture',
  'capture_duration',
  'append',
  'override'
])
const RULE_APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions'])
const RULE_REPLACEABLE = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'capture',
  'capture_duration',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter'
])

export function emptyCollection(): CollectedRules {
  return {
    lists: new Map(),
    macros: new Map(),
    rules: new Map(),
    requiredEngineVersions: [],
    requiredPluginVersions: [],
    texts: new Map()
  }
}

interface ItemCtx {
  file: string
  text: string
  lineStarts: number[]
  itemType: ItemType
  itemName: string
  itemPos: SourcePos
}

export class Collector {
  readonly state: CollectedRules = emptyCollection()
  readonly diagnostics: Diagnostic[] = []
  private counter = 0

  constructor(private readonly opts: CollectorOptions) {}

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error')
  }

  /** Reads one file's text. Returns false (and records the error) when the load must stop. */
  addFile(file: string, text: string): boolean {
    const r = readYaml(text)
    this.state.texts.set(file, { text, lineStarts: r.lineStarts })
    const base = { file, text, lineStarts: r.lineStarts, itemName: '' }
    if (r.error !== undefined) {
      this.error(
        { ...base, itemType: 'rules content', itemPos: r.error.pos },
        'LOAD_ERR_YAML_PARSE',
        r.error.message,
        r.error.pos
      )
      return false
    }
    for (const doc of r.docs) {
      const root = doc.root
      if (root.kind === 'null') continue
      if (root.kind !== 'seq') {
        const msg =
          root.kind === 'scalar' ? 'Rules content is not yaml' : 'Rules content is not yaml array of objects'
        this.error(
          { ...base, itemType: 'rules content', itemPos: root.pos },
          'LOAD_ERR_YAML_VALIDATE',
          msg,
          root.pos
        )
        return false
      }
      for (const item of root.items) {
        if (item.kind === 'null') continue
        if (item.kind !== 'map') {
          const ctx = { ...base, itemType: 'rules content item' as const, itemPos: item.pos }
          this.error(
            ctx,
            'LOAD_ERR_YAML_VALIDATE',
            'Unexpected element type. Each element should be a yaml associative array.',
            item.pos
          )
          return false
        }
        if (!this.addItem({ ...base, itemType: 'rules content item', itemPos: item.pos }, item)) return false
      }
    }
    return true
  }

  private addItem(ctx: ItemCtx, item: YMap): boolean {
    const kind = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'].find((k) =>
      has(item, k)
    )
    if (kind === undefined) {
      this.warn(ctx, 'LOAD_UNKNOWN_ITEM', 'Unknown top level item', item.pos)
      return true
    }
    const named = kind === 'list' || kind === 'macro' || kind === 'rule'
    const nameNode = entry(item, kind)?.value
    const c: ItemCtx = {
      ...ctx,
      itemType: kind as ItemType,
      itemName: named && nameNode?.kind === 'scalar' ? nameNode.value : ''
    }
    try {
      switch (kind) {
        case 'required_engine_version':
          this.engineVersion(c, item)
          break
        case 'required_plugin_versions':
          this.pluginVersions(c, item)
          break
        case 'list':
          this.checkKeys(c, item, LIST_KEYS)
          this.list(c, item)
          break
        case 'macro':
          this.checkKeys(c, item, MACRO_KEYS)
          this.macro(c, item)
          break
        default:
          this.checkKeys(c, item, RULE_KEYS)
          this.rule(c, item)
      }
    } catch (e: unknown) {
      if (!(e instanceof LoadError)) throw e
      const ec =
        e instanceof ExceptionLoadError
          ? { ...c, itemType: 'exception' as const, itemName: e.exceptionName }
          : c
      this.error(ec, e.code, e.message, e.pos)
      return false
    }
    this.counter++
    return true
  }

  private checkKeys(c: ItemCtx, item: YMap, allowed: Set<string>): void {
    for (const e of item.entries)
      if (!allowed.has(e.key))
        this.warn(c, 'LOAD_UNKNOWN_KEY', `Unknown key '${e.key}'. The key will be ignored.`, e.keyPos)
  }

  private engineVersion(c: ItemCtx, item: YMap): void {
    const v = reqString(item, 'required_engine_version')
    const err = checkEngineVersion(v)
    if (err !== undefined)
      throw new LoadError(err.code, err.message, entry(item, 'required_engine_version')?.value.pos)
    this.state.requiredEngineVersions.push({ file: c.file, version: v })
  }

  private pluginVersions(c: ItemCtx, item: YMap): void {
    const node = entry(item, 'required_plugin_versions')?.value
    const reqs: PluginRequirement[] = []
    if (node?.kind !== 'seq')
      throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', node?.pos ?? item.pos)
    for (const r of node.items) {
      if (r.kind !== 'map')
        throw new LoadError(
          'LOAD_ERR_YAML_VALIDATE',
          'Unexpected element type. Each element should be a yaml associative array.',
          r.pos
        )
      const alternatives: { name: string; version: string }[] = []
      const alts = entry(r, 'alternatives')?.value
      if (alts?.kind === 'seq')
        for (const a of alts.items) {
          if (a.kind !== 'map')
            throw new LoadError(
              'LOAD_ERR_YAML_VALIDATE',
              'Unexpected element type. Each element should be a yaml associative array.',
              a.pos
            )
          alternatives.push({ name: reqString(a, 'name'), version: reqString(a, 'version') })
        }
      reqs.push({ name: reqString(r, 'name'), version: reqString(r, 'version'), alternatives })
    }
    const err = checkPluginRequirements(reqs)
    if (err !== undefined) throw new LoadError('LOAD_ERR_VALIDATE', err, node.pos)
    this.state.requiredPluginVersions.push({ file: c.file, requirements: reqs })
  }

  /** `override: {key: append|replace}` → the two key sets. */
  /**
   * The two ways to extend an item, as Falco checks them for lists, macros and rules alike: `override` and
   * `append: true` together is an error; `append` alone still works but is deprecated. `example` is the key
   * the messages suggest ('items' for lists, 'condition' otherwise).
   */
  private checkAppendStyle(
    c: ItemCtx,
    item: YMap,
    appendFlag: boolean,
    ov: { append: Set<string>; replace: Set<string> },
    example: string
  ): void {
    if (appendFlag && (ov.append.size > 0 || ov.replace.size > 0))
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        `Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. '${example}: append') under 'override' instead.`,
        item.pos
      )
    if (has(item, 'append'))
      this.warn(
        c,
        'LOAD_DEPRECATED_ITEM',
        `The 'append' key is deprecated. Add an 'append' entry (e.g. '${example}: append') under 'override' instead.`,
        entry(item, 'append')?.keyPos ?? item.pos
      )
  }

  private overrides(item: YMap): { append: Set<string>; replace: Set<string> } {
    const append = new Set<string>()
    const replace = new Set<string>()
    const o = entry(item, 'override')
    if (o === undefined) return { append, replace }
    if (o.value.kind !== 'map')
      throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a map', o.value.pos)
    for (const e of o.value.entries) {
      const op = e.value.kind === 'scalar' ? e.value.value : ''
      if (op === 'append') append.add(e.key)
      else if (op === 'replace') replace.add(e.key)
      else
        throw new LoadError(
          'LOAD_ERR_YAML_VALIDATE',
          `Invalid override operation for key '${e.key}': must be 'append' or 'replace'`,
          e.keyPos
        )
    }
    return { append, replace }
  }

  private list(c: ItemCtx, item: YMap): void {
    const name = reqString(item, 'list')
    if (!/^[^()"'\s=,]+$/.test(name))
      this.warn(
        c,
        'LOAD_INVALID_LIST_NAME',
        `List has an invalid name. List names should match a regular expression: [^()"'\\s=,]+`,
        item.pos
      )
    const items = stringSeq(item, 'items', true) ?? []
    const appendFlag = optBool(item, 'append') ?? false
    const ov = this.overrides(item)
    for (const k of ov.append)
      if (k !== 'items')
        throw new LoadError('LOAD_ERR_VALIDATE', `Key '${k}' cannot be appended to`, item.pos)
    for (const k of ov.replace)
      if (k !== 'items') throw new LoadError('LOAD_ERR_VALIDATE', `Key '${k}' cannot be replaced`, item.pos)
    this.checkAppendStyle(c, item, appendFlag, ov, 'items')
    const prev = this.state.lists.get(name)
    if (appendFlag || ov.append.has('items')) {
      if (prev === undefined)
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          "List has 'append' key but no list by that name already exists",
          item.pos
        )
      prev.items.push(...items)
      prev.visibility = this.counter
      return
    }
    const source = { file: c.file, pos: item.pos }
    if (prev !== undefined) {
      prev.items = items
      prev.visibility = this.counter
      prev.source = source
      return
    }
    if (ov.replace.has('items'))
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        'An replace to a list was specified but no list by that name already exists',
        item.pos
      )
    this.state.lists.set(name, {
      name,
      items,
      index: this.counter,
      visibility: this.counter,
      source,
      used: false
    })
  }

  private macro(c: ItemCtx, item: YMap): void {
    const name = reqString(item, 'macro')
    if (!/^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(name))
      this.warn(
        c,
        'LOAD_INVALID_MACRO_NAME',
        'Macro has an invalid name. Macro names should match a regular expression: ^[a-zA-Z]+[a-zA-Z0-9_]*$',
        item.pos
      )
    const condition = reqString(item, 'condition')
    const condPos = entry(item, 'condition')?.value.pos ?? item.pos
    const appendFlag = optBool(item, 'append') ?? false
    const ov = this.overrides(item)
    for (const k of [...ov.append, ...ov.replace])
      if (k !== 'condition')
        throw new LoadError('LOAD_ERR_VALIDATE', `Unexpected key '${k}' under 'override'`, item.pos)
    this.checkAppendStyle(c, item, appendFlag, ov, 'condition')
    const prev = this.state.macros.get(name)
    if (appendFlag || ov.append.has('condition')) {
      if (prev === undefined)
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          "Macro has 'append' key but no macro by that name already exists",
          item.pos
        )
      prev.condition = prev.condition + ' ' + condition
      prev.visibility = this.counter
      return
    }
    const source = { file: c.file, pos: item.pos }
    const condSource = { file: c.file, pos: condPos }
    if (prev !== undefined) {
      prev.condition = condition
      prev.visibility = this.counter
      prev.source = source
      prev.condSource = condSource
      return
    }
    if (ov.replace.has('condition'))
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        'An replace to a macro was specified but no macro by that name already exists',
        item.pos
      )
    this.state.macros.set(name, {
      name,
      condition,
      index: this.counter,
      visibility: this.counter,
      source,
      condSource,
      used: false
    })
  }

  private rule(c: ItemCtx, item: YMap): void {
    const name = reqString(item, 'rule')
    const appendFlag = optBool(item, 'append') ?? false
    const ov = this.overrides(item)
    const hasOverrides = ov.append.size > 0 || ov.replace.size > 0
    this.checkAppendStyle(c, item, appendFlag, ov, 'condition')
    const prev = this.state.rules.get(name)
    if (hasOverrides) {
      this.ruleOverride(c, item, name, prev, ov)
      return
    }
    if (appendFlag) {
      const cond = optString(item, 'condition')
      const exNode = entry(item, 'exceptions')
      const exceptions = exNode !== undefined ? readExceptions(exNode.value, c.file, true) : undefined
      if (cond === undefined && exceptions === undefined)
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          'Appended rule must have exceptions or condition property',
          item.pos
        )
      if (prev === undefined)
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          "Rule has 'append' key but no rule by that name already exists",
          item.pos
        )
      if (cond !== undefined && cond !== '') prev.condition = prev.condition + ' ' + cond
      if (exceptions !== undefined) this.appendExceptions(c, prev, exceptions)
      return
    }
    if (!has(item, 'condition') && !has(item, 'output') && !has(item, 'desc') && !has(item, 'priority')) {
      const enabled = optBool(item, 'enabled')
      if (enabled === undefined)
        throw new LoadError('LOAD_ERR_YAML_VALIDATE', "Item has no mapping for key 'enabled'", item.pos)
      this.warn(
        c,
        'LOAD_DEPRECATED_ITEM',
        "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
        item.pos
      )
      if (prev === undefined)
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          "Rule has 'enabled' key but no rule by that name already exists",
          item.pos
        )
      prev.enabled = enabled
      return
    }
    const condition = reqString(item, 'condition')
    const output = reqString(item, 'output').trim()
    const desc = reqString(item, 'desc')
    const prioText = reqString(item, 'priority')
    const priority = parsePriority(prioText)
    if (priority === undefined)
      throw new LoadError('LOAD_ERR_VALIDATE', 'Invalid priority', entry(item, 'priority')?.value.pos)
    const source = optString(item, 'source') ?? 'syscall'
    const exNode = entry(item, 'exceptions')
    const exceptions = exNode !== undefined ? readExceptions(exNode.value, c.file, false) : []
    if (!this.opts.knownSources.includes(source)) {
      this.warn(
        c,
        'LOAD_UNKNOWN_SOURCE',
        `Unknown source ${source}, skipping`,
        entry(item, 'source')?.value.pos ?? item.pos
      )
      return
    }
    for (const ex of exceptions) validateException(ex, this.opts.isFieldDefined)
    this.warnDuplicateExceptions(c, exceptions)
    if (prev !== undefined && has(item, 'source') && prev.source !== source)
      throw new LoadError('LOAD_ERR_VALIDATE', `Rule has been re-defined with a different source`, item.pos)
    const def: RuleDef = {
      name,
      condition,
      output,
      desc,
      priority,
      source,
      enabled: optBool(item, 'enabled') ?? true,
      tags: [...new Set(stringSeq(item, 'tags', false) ?? [])],
      exceptions,
      warnEvttypes: optBool(item, 'warn_evttypes') ?? true,
      skipIfUnknownFilter: optBool(item, 'skip-if-unknown-filter') ?? false,
      capture: optBool(item, 'capture') ?? false,
      captureDuration: optInt(item, 'capture_duration') ?? 0,
      index: prev?.index ?? this.counter,
      itemSource: { file: c.file, pos: item.pos },
      condSource: { file: c.file, pos: entry(item, 'condition')?.value.pos ?? item.pos },
      outputSource: { file: c.file, pos: entry(item, 'output')?.value.pos ?? item.pos }
    }
    this.state.rules.set(name, def)
  }

  private ruleOverride(
    c: ItemCtx,
    item: YMap,
    name: string,
    prev: RuleDef | undefined,
    ov: { append: Set<string>; replace: Set<string> }
  ): void {
    for (const k of ov.append) {
      if (!RULE_APPENDABLE.has(k)) {
        const msg = RULE_REPLACEABLE.has(k)
          ? `Key '${k}' cannot be appended to, use 'replace' instead`
          : `Unexpected key '${k}': no corresponding entry under 'override' is defined.`
        throw new LoadError('LOAD_ERR_VALIDATE', msg, item.pos)
      }
    }
    for (const k of ov.replace)
      if (!RULE_REPLACEABLE.has(k))
        throw new LoadError('LOAD_ERR_VALIDATE', `Key '${k}' cannot be replaced`, item.pos)
    for (const k of [...ov.append, ...ov.replace])
      if (!has(item, k))
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          `An ${ov.append.has(k) ? 'append' : 'replace'} override for '${k}' was specified but '${k}' is not defined`,
          item.pos
        )
    for (const e of item.entries)
      if (RULE_REPLACEABLE.has(e.key) && !ov.append.has(e.key) && !ov.replace.has(e.key))
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          `Unexpected key '${e.key}': no corresponding entry under 'override' is defined.`,
          e.keyPos
        )
    if (prev === undefined) {
      const what = ov.append.size > 0 ? 'append' : 'replace'
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        `An ${what} to '${name}' was specified but no rule by that name already exists`,
        item.pos
      )
    }
    const src = optString(item, 'source')
    if (src !== undefined && src !== prev.source)
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        'An override was specified with a different source than the original rule',
        item.pos
      )
    const exNode = entry(item, 'exceptions')
    const exceptions =
      exNode !== undefined ? readExceptions(exNode.value, c.file, ov.append.has('exceptions')) : undefined
    const joinText = (old: string, add: string): string => (add === '' ? old : old + ' ' + add)
    if (ov.append.has('condition')) prev.condition = joinText(prev.condition, reqString(item, 'condition'))
    if (ov.append.has('output')) prev.output = joinText(prev.output, reqString(item, 'output').trim())
    if (ov.append.has('desc')) prev.desc = joinText(prev.desc, reqString(item, 'desc'))
    if (ov.append.has('tags'))
      prev.tags = [...new Set([...prev.tags, ...(stringSeq(item, 'tags', true) ?? [])])]
    if (ov.append.has('exceptions') && exceptions !== undefined) this.appendExceptions(c, prev, exceptions)
    if (ov.replace.has('condition')) {
      prev.condition = reqString(item, 'condition')
      prev.condSource = { file: c.file, pos: entry(item, 'condition')?.value.pos ?? item.pos }
    }
    if (ov.replace.has('output')) prev.output = reqString(item, 'output').trim()
    if (ov.replace.has('desc')) prev.desc = reqString(item, 'desc')
    if (ov.replace.has('priority')) {
      const p = parsePriority(reqString(item, 'priority'))
      if (p === undefined)
        throw new LoadError('LOAD_ERR_VALIDATE', 'Invalid priority', entry(item, 'priority')?.value.pos)
      prev.priority = p
    }
    if (ov.replace.has('tags')) prev.tags = [...new Set(stringSeq(item, 'tags', true) ?? [])]
    if (ov.replace.has('exceptions') && exceptions !== undefined) {
      for (const ex of exceptions) validateException(ex, this.opts.isFieldDefined)
      prev.exceptions = exceptions
    }
    if (ov.replace.has('enabled')) prev.enabled = optBool(item, 'enabled') ?? prev.enabled
    if (ov.replace.has('warn_evttypes'))
      prev.warnEvttypes = optBool(item, 'warn_evttypes') ?? prev.warnEvttypes
    if (ov.replace.has('skip-if-unknown-filter'))
      prev.skipIfUnknownFilter = optBool(item, 'skip-if-unknown-filter') ?? prev.skipIfUnknownFilter
    if (ov.replace.has('capture')) prev.capture = optBool(item, 'capture') ?? prev.capture
    if (ov.replace.has('capture_duration'))
      prev.captureDuration = optInt(item, 'capture_duration') ?? prev.captureDuration
  }

  private appendExceptions(c: ItemCtx, prev: RuleDef, added: ExceptionDef[]): void {
    mergeExceptions(prev.exceptions, added, this.opts.isFieldDefined)
    this.warnDuplicateExceptions(c, prev.exceptions)
  }

  private warnDuplicateExceptions(c: ItemCtx, list: ExceptionDef[]): void {
    const seen = new Set<string>()
    for (const ex of list) {
      if (seen.has(ex.name))
        this.warn(
          c,
          'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
          `Multiple definitions of exception '${ex.name}' in the same rule`,
          ex.source.pos
        )
      seen.add(ex.name)
    }
  }

  private diag(
    c: ItemCtx,
    severity: 'error' | 'warning',
    code: ErrorCode | WarningCode,
    message: string,
    pos: SourcePos | undefined
  ): void {
    const at = pos ?? c.itemPos
    this.diagnostics.push({
      severity,
      code,
      message,
      file: c.file,
      itemType: c.itemType,
      itemName: c.itemName,
      itemPos: c.itemPos,
      pos: at,
      excerpt: excerptAt(c.text, c.lineStarts, at)
    })
  }

  private error(c: ItemCtx, code: ErrorCode, message: string, pos: SourcePos | undefined): void {
    this.diag(c, 'error', code, message, pos)
  }

  private warn(c: ItemCtx, code: WarningCode, message: string, pos: SourcePos | undefined): void {
    this.diag(c, 'warning', code, message, pos)
  }
}

export type { YNode }
