import { createContext, useContext } from 'react'
import type { CaptureStatus, TimeWindow } from '../../src-main/common/model/types'

/** What every view shares: the brushed time window, the capture status and its generation. */
export interface AppState {
  status: CaptureStatus
  /** the brushed window (null: the whole capture); filters every view */
  window: TimeWindow | null
  setWindow: (w: TimeWindow | null) => void
  /** capture start, for relative times (null until the overview is known) */
  base: string | null
}

export const AppContext = createContext<AppState | null>(null)

export function useApp(): AppState {
  const s = useContext(AppContext)
  if (s === null) throw new Error('AppContext missing')
  return s
}
