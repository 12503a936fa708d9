/**
 * Compiled rules indexed by event type. Built from a load result and a field registry: each rule's expanded
 * condition becomes a predicate, its output a formatter; rules below the minimum priority are left out, the
 * others are kept in definition order (index of the first definition) in one bucket per event code of their
 * inferred set. `first` matching (Falco's default) stops at the first rule that matches an event; `all`
 * raises every matching rule.
 */
import type { Ast } from '../filter/ast'
import type { FieldRegistry } from '../filter/field-registry'
import { compileCondition } from '../filter/compile'
import type { Predicate } from '../filter/compile'
import { compileOutputFormat } from '../filter/output-format'
import type { CompiledFormat } from '../filter/output-format'
import type { CodeSet } from './evttypes'
import { EVENT_CODE_COUNT } from './evttypes'
import type { RuleDef } from './loader/items'
import type { LoadResult } from './loader/load-rules'

export type RuleMatching = 'first' | 'all'

export interface CompiledRule<C> {
  name: string
  /** 0 emergency … 7 debug */
  priority: number
  tags: readonly string[]
  source: string
  /** Definition order (first definition). */
  index: number
  def: RuleDef
  codes: CodeSet
  predicate: Predicate<C>
  output: CompiledFormat<C>
  /** Exception fields (reported with alerts, as Falco's exception_fields). */
  exceptionFields: string[]
}

export interface RulesetOptions {
  /** Keep rules whose priority is at or above this one (numerically ≤). Default 7 (debug). */
  minPriority?: number
  matching?: RuleMatching
  /** When given, only rules carrying at least one of these tags run (falco -t). */
  tags?: readonly string[]
  /** Rules carrying any of these tags are disabled (falco -T). */
  disableTags?: readonly string[]
  /** Rules to disable, by exact name or `*` wildcard pattern (falco -D / rules: disable). */
  disable?: readonly string[]
  /** Rules to enable even when their file says `enabled: false` (name or wildcard). */
  enable?: readonly string[]
}

/** Falco drops the deprecated `%container.info` token from rule outputs (older files still carry it). */
export function ruleOutput(output: string): string {
  return output.replace(/ ?%container\.info\b/g, '')
}

function wildcard(pattern: string): (s: string) => boolean {
  if (!pattern.includes('*')) return (s) => s === pattern
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$'
  )
  return (s) => re.test(s)
}

export class Ruleset<C> {
  /** Rules that will run, in definition order. */
  readonly rules: CompiledRule<C>[]
  /** byCode[code] = rules to evaluate on events of that code, in definition order. */
  readonly byCode: CompiledRule<C>[][]
  readonly matching: RuleMatching

  constructor(rules: CompiledRule<C>[], matching: RuleMatching) {
    this.rules = rules
    this.matching = matching
    this.byCode = []
    for (let code = 0; code < EVENT_CODE_COUNT; code++)
      this.byCode.push(rules.filter((r) => r.codes[code] === 1))
  }

  /** Calls `alert` for the matching rule(s) of one event; returns how many matched. */
  evaluate(code: number, ctx: C, alert: (rule: CompiledRule<C>) => void): number {
    const bucket = this.byCode[code]
    if (bucket === undefined) return 0
    let n = 0
    for (const r of bucket) {
      if (r.predicate(ctx)) {
        alert(r)
        n++
        if (this.matching === 'first') break
      }
    }
    return n
  }
}

/**
 * Compiles every enabled rule of a successful load. Disabled rules were already fully checked by the loader
 * (with `checkerFor`), as Falco compiles them too.
 */
export function buildRuleset<C>(
  load: LoadResult,
  registry: FieldRegistry<C>,
  opts: RulesetOptions = {}
): Ruleset<C> {
  const minPriority = opts.minPriority ?? 7
  const disable = (opts.disable ?? []).map(wildcard)
  const enable = (opts.enable ?? []).map(wildcard)
  const tags = opts.tags
  const out: CompiledRule<C>[] = []
  for (const lr of load.rules) {
    const d = lr.def
    if (d.priority > minPriority) continue
    let enabled = d.enabled || enable.some((m) => m(d.name))
    if (tags !== undefined && tags.length > 0 && !d.tags.some((t) => tags.includes(t))) enabled = false
    if (disable.some((m) => m(d.name))) enabled = false
    if (opts.disableTags?.some((t) => d.tags.includes(t)) === true) enabled = false
    if (!enabled) continue
    out.push({
      name: d.name,
      priority: d.priority,
      tags: [...d.tags].sort(),
      source: d.source,
      index: d.index,
      def: d,
      codes: lr.codes,
      predicate: cachedPredicate(lr.ast, lr.text, registry),
      output: compileOutputFormat(ruleOutput(d.output), registry, { alwaysShowMissing: true }),
      exceptionFields: d.exceptions.flatMap((e) => (Array.isArray(e.fields) ? e.fields : [e.fields]))
    })
  }
  out.sort((a, b) => a.index - b.index)
  return new Ruleset(out, opts.matching ?? 'first')
}

/**
 * Predicates compiled while the loader checked the rules, by AST and registry: building the ruleset right
 * after the load reuses them instead of compiling every condition twice.
 */
const compiled = new WeakMap<object, WeakMap<object, Predicate<unknown>>>()

function cachedPredicate<C>(ast: Ast, text: string, registry: FieldRegistry<C>): Predicate<C> {
  const hit = compiled.get(ast)?.get(registry) as Predicate<C> | undefined
  return hit ?? compileCondition(ast, text, registry)
}

/** Loader hooks that check conditions and outputs against a registry (unknown fields, bad constants, bad %tokens). */
export function checkerFor<C>(registry: FieldRegistry<C>): {
  checkCondition: (ast: Ast, text: string) => void
  checkOutput: (output: string) => void
  isKnownField: (name: string) => boolean
} {
  return {
    isKnownField: (name) => registry.lookup(name) !== undefined,
    checkCondition: (ast, text) => {
      const p = compileCondition(ast, text, registry)
      let m = compiled.get(ast)
      if (m === undefined) {
        m = new WeakMap()
        compiled.set(ast, m)
      }
      m.set(registry, p as Predicate<unknown>)
    },
    checkOutput: (output) => {
      compileOutputFormat(ruleOutput(output), registry, { alwaysShowMissing: true })
    }
  }
}
