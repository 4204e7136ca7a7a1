/** The version of the event migration report format; bumped on any incompatible change. */
export const EVENT_REPORT_SCHEMA_VERSION = 1;
