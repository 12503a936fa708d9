import { applySchemaVersion, type Migration } from './migration'

/**
 * Version 2: I/O data snapshots (io_chunks) and bytes per fd name (fd_io), for following streams and the
 * top files/connections views. An index migrated from version 1 has these tables empty: meta
 * `io_indexed` tells the views whether the data is there (re-index to fill them).
 */
export const migration0002: Migration = {
  version: 2,
  name: 'io',
  up(db) {
    applySchemaVersion(db, 2)
  }
}
