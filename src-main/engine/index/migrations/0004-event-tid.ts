import { applySchemaVersion, type Migration } from './migration'

/**
 * Version 4: events.tid, the event header's tid where the event's thread does not give it (sysdig's
 * thread.tid reads the header, so an event whose thread is gone still has one). Older indexes cannot be
 * filled in place (the header tid is only in the capture): they are rebuilt, never read (see
 * MIN_READABLE_VERSION).
 */
export const migration0004: Migration = {
  version: 4,
  name: 'event-tid',
  up(db) {
    applySchemaVersion(db, 4)
  }
}
