/** The Open Recent list, kept as JSON in the user data folder (most recent first, at most 10). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const MAX = 10

export function readRecent(file: string): string[] {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return Array.isArray(v)
      ? v
          .filter((x): x is string => typeof x === 'string')
          .filter((p) => existsSync(p))
          .slice(0, MAX)
      : []
  } catch {
    return []
  }
}

export function addRecent(file: string, path: string): string[] {
  const list = [path, ...readRecent(file).filter((p) => p !== path)].slice(0, MAX)
  try {
    writeFileSync(file, JSON.stringify(list))
  } catch {
    // a read-only profile only loses the list
  }
  return list
}
