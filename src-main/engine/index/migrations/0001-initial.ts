import { createFtsSql } from '../schema/ddl'
import { applySchemaVersion, type Migration } from './migration'

/** Version 1: capture, import statistics, processes, threads, events, file activity, connections, rules. */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    applySchemaVersion(db, 1)
    db.exec(createFtsSql())
  }
}
