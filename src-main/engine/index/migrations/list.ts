import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-io'
import { migration0003 } from './0003-thread-names'
import type { Migration } from './migration'

/** Every migration in order; the last one's version is the current schema version. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003]

export const SCHEMA_VERSION = MIGRATIONS.length
