import { applySchemaVersion, type Migration } from './migration'

/**
 * Version 3: thread_names, the name, exe and command line of each thread per interval between execve calls,
 * so filters and rows show proc.* as they were at each event. An index migrated from version 2 has it empty
 * (the views then use each process's last values).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'thread-names',
  up(db) {
    applySchemaVersion(db, 3)
  }
}
