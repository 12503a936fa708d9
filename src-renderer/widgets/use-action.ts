import { useState } from 'react'

export interface Action {
  busy: boolean
  error: string | null
  setError: (e: string | null) => void
  /** runs `p`: busy until it settles, its error (or none) shown afterwards */
  run: <T>(p: Promise<T>, onDone?: (v: T) => void) => void
}

/** A view's one-at-a-time server action (save, run again, load a file) with its busy flag and error. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = <T>(p: Promise<T>, onDone?: (v: T) => void): void => {
    setBusy(true)
    p.then(
      (v) => {
        onDone?.(v)
        setError(null)
        setBusy(false)
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e))
        setBusy(false)
      }
    )
  }
  return { busy, error, setError, run }
}
