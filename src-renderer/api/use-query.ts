import { useEffect, useState } from 'react'
import type { Args, Channel, Results } from '../../src-main/common/ipc-contract'
import { client } from './client'

export interface QueryState<T> {
  data: T | null
  error: string | null
  loading: boolean
}

interface Answer<T> {
  key: string
  data: T | null
  error: string | null
}

/**
 * Calls `name` with `args` whenever their JSON or `generation` changes; stale answers are dropped (an
 * answer is shown only while its key is the current one). `args === null` means "do not ask yet".
 */
export function useQuery<C extends Channel>(
  name: C,
  args: Args<C> | null,
  generation: number
): QueryState<Results[C]> {
  const key = args === null ? null : `${name} ${generation} ${JSON.stringify(args)}`
  const [answer, setAnswer] = useState<Answer<Results[C]> | null>(null)
  useEffect(() => {
    if (key === null || args === null) return
    let live = true
    client.call(name, args).then(
      (data) => {
        if (live) setAnswer({ key, data, error: null })
      },
      (e: unknown) => {
        if (live) setAnswer({ key, data: null, error: e instanceof Error ? e.message : String(e) })
      }
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key covers name, args and generation
  }, [key])
  if (key === null) return { data: null, error: null, loading: false }
  if (answer === null || answer.key !== key) return { data: answer?.data ?? null, error: null, loading: true }
  return { data: answer.data, error: answer.error, loading: false }
}
