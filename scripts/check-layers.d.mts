export const ENGINE_RANK: Record<string, number>
export function checkImport(fromRel: string, spec: string, targetRel: string | null): string | null
export function importsOf(text: string): string[]
export function checkTree(root: string): string[]
