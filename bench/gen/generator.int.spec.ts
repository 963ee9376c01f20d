/**
 * The bulk path (Registry on a write-behind store, big multi-stream appends) records exactly the events
 * of the command path (Registry on SQLite, one append per command): same ids, streams, versions, types,
 * data and metadata, in the same order; recordedAt on the same recording day. And the generator is
 * deterministic: the same seed gives the same log, hash chain included.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generator';

interface Row {
  position: number;
  id: string;
  stream: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string;
}

const rows = (file: string): Row[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
};

describe('benchmark generator', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quanze-gen-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records through the bulk path exactly the events of the command path, and the same seed gives the same log', async () => {
    const bulk = await generate({ size: 'XS', seed: 7, dir: join(dir, 'bulk'), path: 'bulk', synchronous: 'NORMAL', maxBatchEvents: 500 });
    const command = await generate({ size: 'XS', seed: 7, dir: join(dir, 'command'), path: 'command', synchronous: 'NORMAL' });
    const again = await generate({ size: 'XS', seed: 7, dir: join(dir, 'again'), path: 'bulk', synchronous: 'NORMAL', maxBatchEvents: 500 });

    const a = rows(bulk.file);
    const b = rows(command.file);
    expect(a.length).toBeGreaterThan(3000);
    expect(bulk.appends).toBeLessThan(a.length / 5);
    expect(a.length).toBe(b.length);
    const strip = ({ position, id, stream, stream_version, type, data, metadata }: Row) => ({ position, id, stream, stream_version, type, data, metadata });
    for (let i = 0; i < a.length; i++) {
      expect(strip(a[i])).toEqual(strip(b[i]));
      expect(a[i].recorded_at.slice(0, 10)).toBe(b[i].recorded_at.slice(0, 10));
    }
    const meta = JSON.parse(a[a.length - 1].metadata);
    expect(Object.keys(meta)).toEqual(['actor', 'commandId', 'correlationId', 'schemaVersion']);

    // Every kind of change of the history is there (boundary clauses are not generated).
    const types = new Set(a.map((r) => r.type));
    for (const t of ['RegionRegistered', 'DepartmentEstablished', 'DepartmentRenamed', 'DepartmentAbolished', 'SandingIssued', 'CatalogItemDefined', 'CatalogItemRevised', 'CatalogItemRetired', 'ItemAssigned', 'ItemTransferred', 'ItemWithdrawn', 'ItemDelegated', 'ItemReceived', 'ItemRecalled', 'ItemReturned', 'EventRetracted', 'ActualStaffingReported']) {
      expect(types).toContain(t);
    }
    // Corrections are recorded late: every retraction at least 45 days after what it retracts.
    const byId = new Map(a.map((r) => [r.id, r]));
    for (const r of a.filter((x) => x.type === 'EventRetracted')) {
      const target = byId.get(JSON.parse(r.data).eventId)!;
      expect(Date.parse(r.recorded_at) - Date.parse(target.recorded_at)).toBeGreaterThanOrEqual(45 * 86_400_000);
    }

    const c = rows(again.file);
    expect(c.map((r) => r.hash)).toEqual(a.map((r) => r.hash));
  });
});
