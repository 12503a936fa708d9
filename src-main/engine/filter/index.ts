// Public surface of the filter language (parser, printer, expansion, registry interface, compiler, output
// formats). Other stages import from here.
export type * from './ast'
export {
  isTransformerName,
  operandField,
  TRANSFORMERS,
  LIST_OPS,
  STRING_OPS,
  NUMERIC_OPS,
  MODIFIERS
} from './ast'
export { FilterError, makeExcerpt } from './errors'
export type { FilterErrorCode } from './errors'
export { parseCondition, parseOperandAt, MAX_DEPTH, MAX_CONDITION_LENGTH, MAX_LIST_ITEMS } from './parser'
export { printCondition, printOperand, printField, printValue, quote } from './print'
export { expandMacros, expandLists, substituteLists, MAX_EXPANDED_NODES } from './expand'
export type { MacroDef, ExpandOptions } from './expand'
export { fieldTypeFromLibs, makeRegistry } from './field-registry'
export type { FieldDef, FieldRegistry, FieldType, FieldScalar, FieldValue } from './field-registry'
export { allowedOps, isNumericType } from './checker'
export type { OpName } from './checker'
export { compileCondition, checkCondition, compileFilter, compileOperand } from './compile'
export type { Predicate, CompiledOperand, FilterOptions } from './compile'
export { compileOutputFormat, defaultRender, NA } from './output-format'
export type { CompiledFormat, FormatField, FormatOptions, FormatPart } from './output-format'
