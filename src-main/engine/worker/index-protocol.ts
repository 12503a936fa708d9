/** Messages between the indexing worker and its host (structured-clone data only). */
import type { BuildProgress, BuildResult } from '../index/build'

export interface IndexJob {
  capturePath: string
  dbPath?: string
  force?: boolean
  /** rule files to run during the import; null: none */
  rules: string[] | null
}

export type ToWorker = { type: 'start'; job: IndexJob } | { type: 'cancel' }

export type FromWorker =
  | { type: 'progress'; progress: BuildProgress }
  | { type: 'done'; result: BuildResult }
  | { type: 'error'; message: string; cancelled: boolean }
