import type * as EsdbModule from '@eventstore/db-client';

export type EsdbClientModule = typeof EsdbModule;

let loaded: EsdbClientModule | undefined;

/**
 * Loads @eventstore/db-client on first use — lazily, so a SQLite deployment (and every test that
 * imports the event-store library) never loads gRPC and protobuf.
 */
export function loadEsdbClient(): EsdbClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@eventstore/db-client') as EsdbClientModule;
  return loaded;
}
