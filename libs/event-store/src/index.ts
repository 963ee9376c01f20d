export * from './event-store.port';
export * from './subscription';
export * from './integrity';
export * from './lazy-metadata';
export * from './sqlite/sqlite-event-store';
export * from './open-event-store';
export * from './migrate';
