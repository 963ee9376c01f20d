import type * as PgModule from 'pg';

let loaded: typeof PgModule | undefined;

/**
 * Loads pg on first use — lazily, like @eventstore/db-client (eventstoredb/esdb-client.ts), so a SQLite
 * deployment's start (and every shell that imports the event-store library) does not load it.
 */
export function loadPg(): typeof PgModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('pg') as typeof PgModule;
  return loaded;
}
