import type { KeyboardEvent } from 'react'

/** Arrow keys move focus between rows (elements with data-row) of the table holding the target. */
export function rowKeys(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
  const row = (e.target as HTMLElement).closest('[data-row]')
  if (row === null) return
  const next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling
  if (next instanceof HTMLElement && next.dataset['row'] !== undefined) {
    e.preventDefault()
    next.focus()
  }
}

/** Enter or space on a focused row activates it like a click. */
export function activateKeys(action: () => void): (e: KeyboardEvent<HTMLElement>) => void {
  return (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      action()
    }
  }
}
