/**
 * The whole front end of a rules load: collect every file in order, then compile as Falco does after all
 * files are read — lists (one level of list-in-list), each macro (textual list substitution, parse, macro
 * expansion with visibility), each rule, enabled or not (exception clauses, list substitution, parse, macro
 * expansion seeing every macro, evt.type inference, then the caller's field/output checks). The first error
 * stops the load; warnings accumulate.
 */
import type { Ast } from '../../filter/ast'
import { FilterError } from '../../filter/errors'
import { expandMacros } from '../../filter/expand'
import { parseCondition } from '../../filter/parser'
import type { CodeSet } from '../evttypes'
import { EVENT_CODE_COUNT, UnknownEventTypeError, countCodes, inferEventCodes } from '../evttypes'
import { Collector } from './collector'
import type { CollectorOptions } from './collector'
import type { Diagnostic, ErrorCode, ItemType, WarningCode } from './diagnostics'
import { conditionWithExceptions } from './exception-items'
import type { CollectedRules, ItemSource, MacroDef, RuleDef } from './items'
import { compileLists, substituteLists } from './list-subst'
import type { CompiledList } from './list-subst'
import { excerptAt, posAt } from './yaml-reader'
import type { SourcePos } from './yaml-reader'

export interface LoadedMacro {
  def: MacroDef
  /** Condition after list substitution (the text the AST ranges point into). */
  text: string
  ast: Ast
}

export interface LoadedRule {
  def: RuleDef
  /** Condition with exception clauses and lists substituted. */
  text: string
  /** Parsed and macro-expanded. */
  ast: Ast
  codes: CodeSet
}

/** Per-rule checks of the caller (field registry, output format). Throw FilterError (condition) or OutputError. */
export interface RuleChecker {
  checkCondition?(ast: Ast, text: string, rule: RuleDef): void
  checkOutput?(output: string, rule: RuleDef): void
  /** Field names of the registry: an unquoted constant equal to one is probably a mistake (Falco warns). */
  isKnownField?: (name: string) => boolean
}

/** Unquoted constants of a condition that name a field (`proc.name = proc.pname` compares with the text). */
export function fieldLikeConstants(ast: Ast, isField: (name: string) => boolean): string[] {
  const out = new Set<string>()
  const walk = (n: Ast): void => {
    if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk)
    else if (n.kind === 'not') walk(n.child)
    else if (n.kind === 'macro') {
      if (n.body !== undefined) walk(n.body)
    } else if (n.kind === 'binary') {
      const values = n.rhs.kind === 'value' ? [n.rhs] : n.rhs.kind === 'list' ? n.rhs.items : []
      for (const v of values)
        if (!v.quoted && /^[a-z]+\.[a-z]/.test(v.value) && isField(v.value)) out.add(v.value)
    }
  }
  walk(ast)
  return [...out]
}

export class OutputError extends Error {}

export interface LoadOptions extends CollectorOptions {
  checker?: RuleChecker
}

export interface FileInput {
  name: string
  text: string
}

export interface LoadResult {
  ok: boolean
  collected: CollectedRules
  lists: CompiledList[]
  macros: LoadedMacro[]
  /** Every rule that compiled (enabled or not), in index order. */
  rules: LoadedRule[]
  diagnostics: Diagnostic[]
}

class StopLoad extends Error {}

/** Falco's wording for an unknown field (libs' filter_check factory message). */
function unknownFieldMessage(e: FilterError): string {
  const m = /unknown field '([^']*)'/.exec(e.message)
  return m === null ? e.message : `filter_check called with nonexistent field ${m[1] ?? ''}`
}

export function loadRules(files: readonly FileInput[], opts: LoadOptions): LoadResult {
  const col = new Collector(opts)
  const diagnostics = col.diagnostics
  const result: LoadResult = {
    ok: false,
    collected: col.state,
    lists: [],
    macros: [],
    rules: [],
    diagnostics
  }
  for (const f of files) if (!col.addFile(f.name, f.text)) return result
  const state = col.state

  const diag = (
    severity: 'error' | 'warning',
    code: ErrorCode | WarningCode,
    itemType: ItemType,
    itemName: string,
    item: ItemSource,
    message: string,
    at?: SourcePos
  ): void => {
    const t = state.texts.get(item.file)
    const pos = at ?? item.pos
    const d: Diagnostic = {
      severity,
      code,
      message,
      file: item.file,
      itemType,
      itemName,
      itemPos: item.pos,
      pos
    }
    if (t !== undefined) d.excerpt = excerptAt(t.text, t.lineStarts, pos)
    diagnostics.push(d)
  }

  /** File position of an offset inside a condition, when the condition text appears verbatim in the file. */
  const condPos = (src: ItemSource, raw: string, text: string, offset: number): SourcePos => {
    const t = state.texts.get(src.file)
    if (t === undefined || raw !== text) return src.pos
    if (t.text.startsWith(raw, src.pos.offset)) return posAt(t.lineStarts, t.text, src.pos.offset + offset)
    const q = t.text.charAt(src.pos.offset)
    if ((q === '"' || q === "'") && t.text.startsWith(raw, src.pos.offset + 1))
      return posAt(t.lineStarts, t.text, src.pos.offset + 1 + offset)
    return src.pos
  }

  const conditionError = (
    itemType: ItemType,
    name: string,
    item: ItemSource,
    cond: ItemSource,
    raw: string,
    text: string,
    e: FilterError
  ): never => {
    let code: ErrorCode = 'LOAD_ERR_COMPILE_CONDITION'
    let message = e.message
    if (e.code === 'FLT_UNDEFINED_MACRO') {
      code = 'LOAD_ERR_VALIDATE'
      message = `Undefined macro '${/'([^']*)'/.exec(e.message)?.[1] ?? ''}' used in filter.`
    } else if (e.code === 'FLT_UNKNOWN_FIELD') {
      message = unknownFieldMessage(e)
    } else if (e.code === 'FLT_MACRO_LOOP') {
      code = 'LOAD_ERR_VALIDATE'
      message = e.message
    }
    const at = e.macro === undefined ? condPos(cond, raw, text, e.range.start) : cond.pos
    diag('error', code, itemType, name, item, message, at)
    const last = diagnostics[diagnostics.length - 1]
    if (last !== undefined) last.excerpt = (last.excerpt ?? '') + `\n${e.excerpt}`
    throw new StopLoad()
  }

  try {
    const lists = compileLists(state.lists)
    result.lists = lists

    // Macros: parse each (after list substitution), then expand with visibility.
    const macroDefs = [...state.macros.values()].sort((a, b) => a.index - b.index)
    const parsed = new Map<string, { def: MacroDef; text: string; ast: Ast }>()
    for (const m of macroDefs) {
      const text = substituteLists(m.condition, lists)
      try {
        parsed.set(m.name, { def: m, text, ast: parseCondition(text) })
      } catch (e: unknown) {
        if (e instanceof FilterError)
          conditionError('macro', m.name, m.source, m.condSource, m.condition, text, e)
        throw e
      }
    }
    const markUsed = (ast: Ast): void => {
      const seen = new Set<string>()
      const walk = (n: Ast): void => {
        if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk)
        else if (n.kind === 'not') walk(n.child)
        else if (n.kind === 'macro') {
          const m = state.macros.get(n.name)
          if (m !== undefined) m.used = true
          if (n.body !== undefined && !seen.has(n.name)) {
            seen.add(n.name)
            walk(n.body)
          }
        }
      }
      walk(ast)
    }
    for (const m of macroDefs) {
      const p = parsed.get(m.name)
      if (p === undefined) continue
      const lookup = (name: string): { ast: Ast; source: string } | undefined => {
        const t = parsed.get(name)
        if (t === undefined || t.def.index >= m.visibility) return undefined
        return { ast: t.ast, source: t.text }
      }
      try {
        const ast = expandMacros(p.ast, p.text, lookup)
        markUsed(ast)
        result.macros.push({ def: m, text: p.text, ast })
      } catch (e: unknown) {
        if (e instanceof FilterError)
          conditionError('macro', m.name, m.source, m.condSource, m.condition, p.text, e)
        throw e
      }
    }

    // Rules, in index order, enabled or not.
    const allMacros = (name: string): { ast: Ast; source: string } | undefined => {
      const t = parsed.get(name)
      return t === undefined ? undefined : { ast: t.ast, source: t.text }
    }
    const ruleDefs = [...state.rules.values()].sort((a, b) => a.index - b.index)
    for (const r of ruleDefs) {
      const raw = conditionWithExceptions(r.condition, r.exceptions)
      const text = substituteLists(raw, lists)
      let ast: Ast
      let codes: CodeSet
      try {
        ast = expandMacros(parseCondition(text), text, allMacros)
        markUsed(ast)
        codes = inferEventCodes(ast)
        opts.checker?.checkCondition?.(ast, text, r)
      } catch (e: unknown) {
        const unknown =
          e instanceof UnknownEventTypeError ||
          (e instanceof FilterError &&
            (e.code === 'FLT_UNKNOWN_FIELD' || /unknown event type/.test(e.message)))
        if (unknown && r.skipIfUnknownFilter) {
          const msg =
            e instanceof FilterError ? unknownFieldMessage(e) : e instanceof Error ? e.message : String(e)
          diag('warning', 'LOAD_UNKNOWN_FILTER', 'rule', r.name, r.itemSource, msg, r.condSource.pos)
          continue
        }
        if (e instanceof UnknownEventTypeError) {
          diag(
            'error',
            'LOAD_ERR_COMPILE_CONDITION',
            'rule',
            r.name,
            r.itemSource,
            e.message,
            r.condSource.pos
          )
          throw new StopLoad()
        }
        if (e instanceof FilterError)
          conditionError(
            'rule',
            r.name,
            r.itemSource,
            r.condSource,
            raw === r.condition ? r.condition : raw,
            text,
            e
          )
        throw e
      }
      try {
        opts.checker?.checkOutput?.(r.output, r)
      } catch (e: unknown) {
        if (e instanceof OutputError || e instanceof FilterError) {
          diag(
            'error',
            'LOAD_ERR_COMPILE_OUTPUT',
            'rule',
            r.name,
            r.itemSource,
            e.message.replace(/^invalid formatting token '(.*)'$/, 'invalid formatting token $1'),
            r.outputSource.pos
          )
          throw new StopLoad()
        }
        throw e
      }
      const isKnownField = opts.checker?.isKnownField
      if (isKnownField !== undefined)
        for (const v of fieldLikeConstants(ast, isKnownField))
          diag(
            'warning',
            'LOAD_COMPILE_CONDITION',
            'rule',
            r.name,
            r.itemSource,
            `string '${v}' may be a valid field wrongly interpreted as a string value`,
            r.condSource.pos
          )
      if (r.warnEvttypes && countCodes(codes) > 100)
        diag(
          'warning',
          'LOAD_NO_EVTTYPE',
          'rule',
          r.name,
          r.itemSource,
          'Rule matches too many evt.type values. This has a significant performance penalty.',
          r.condSource.pos
        )
      result.rules.push({ def: r, text, ast, codes })
    }
  } catch (e: unknown) {
    if (!(e instanceof StopLoad)) throw e
    // Falco reports unused macros even when a macro failed to compile (its own tests expect both); when rules
    // exist, their uses were not all seen, so the report would be noise.
    if (state.rules.size > 0) return result
  }
  for (const m of [...state.macros.values()].sort((a, b) => a.index - b.index))
    if (!m.used)
      diag(
        'warning',
        'LOAD_UNUSED_MACRO',
        'macro',
        m.name,
        m.source,
        'Macro not referred to by any other rule/macro'
      )
  for (const l of [...state.lists.values()].sort((a, b) => a.index - b.index))
    if (!l.used)
      diag(
        'warning',
        'LOAD_UNUSED_LIST',
        'list',
        l.name,
        l.source,
        'List not referred to by any other rule/macro'
      )
  result.ok = !diagnostics.some((d) => d.severity === 'error')
  return result
}

export { EVENT_CODE_COUNT }
