/**
 * The client is loaded lazily: importing the event-store library (as every SQLite deployment and
 * most tests do) must not load gRPC/protobuf; loading it under jest must not leave `self` behind.
 */
test('importing the library does not load @eventstore/db-client; loading it leaves no `self` global', () => {
  const g = globalThis as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../index') as typeof import('../index');
  expect(typeof lib.openEventStoreDb).toBe('function');
  expect('proto' in g).toBe(false); // google-protobuf's generated code registers `proto` globally when loaded
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadEsdbClient } = require('./esdb-client') as typeof import('./esdb-client');
  const esdb = loadEsdbClient();
  expect(typeof esdb.EventStoreDBClient.connectionString).toBe('function');
  expect('proto' in g).toBe(true);
  expect('self' in g).toBe(false);
  expect(loadEsdbClient()).toBe(esdb);
});
