/** The field stage: the concrete field registry over EventContext. */
export { EventContext } from './event-context'
export { FIELDS } from './registry'
