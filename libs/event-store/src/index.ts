export * from './event-store.port';
export * from './subscription';
export * from './integrity';
export * from './lazy-metadata';
export * from './sqlite/sqlite-event-store';
export { openEventStoreDb, OpenEventStoreDbOptions } from './eventstoredb/open-eventstoredb';
export * from './migrate';
