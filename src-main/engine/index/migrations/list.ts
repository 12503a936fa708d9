import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-io'
import { migration0003 } from './0003-thread-names'
import { migration0004 } from './0004-event-tid'
import type { Migration } from './migration'

/** Every migration in order; the last one's version is the current schema version. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004]

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * The oldest schema whose data the read models answer correctly. An index older than this lacks data that
 * only the capture holds (version 4: events.tid): it is rebuilt from the capture, and opening it directly
 * fails with StaleIndexError instead of answering wrongly.
 */
export const MIN_READABLE_VERSION = 4
