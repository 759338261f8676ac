import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/client';

/** The committed migrations, cut just before the one tagged `tag`. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zyt-migrations-'));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

describe('migrations', () => {
  it('gives existing booking events their kind from the notes they had', async () => {
    const before = migrationsBefore('booking_event_kinds');
    const client = new PGlite();
    const db = drizzle(client);
    try {
      await migrate(db, { migrationsFolder: before });
      await client.exec(`
        insert into users (id, openid) values ('00000000-0000-4000-8000-000000000001', 'old-user');
        insert into bookings (id, number, user_id, idempotency_key, request_hash, matter_code, matter_name,
          matter_version, status, window_kind, county, outlet_id, address_sealed, contact_sealed)
        values ('00000000-0000-4000-8000-000000000002', '261122000001', '00000000-0000-4000-8000-000000000001',
          'key-00000001', 'h', 'm', '事项', '1', 'assigned', 'asap', '黄埔区', 'o', 'a', 'c');
        insert into booking_events (booking_id, status, actor, note) values
          ('00000000-0000-4000-8000-000000000002', 'requested', 'resident', '委托全程代办'),
          ('00000000-0000-4000-8000-000000000002', 'requested', 'resident', '改约'),
          ('00000000-0000-4000-8000-000000000002', 'assigned', 'agent', null);
      `);
      await migrate(db, { migrationsFolder: migrationsFolder() });
      const { rows } = await client.query<{ kind: string; status: string; note: string | null }>(
        'select kind, status, note from booking_events order by id',
      );
      expect(rows).toEqual([
        { kind: 'created', status: 'requested', note: '委托全程代办' },
        { kind: 'rescheduled', status: 'requested', note: null },
        { kind: 'status_changed', status: 'assigned', note: null },
      ]);
    } finally {
      await client.close();
      rmSync(before, { recursive: true, force: true });
    }
  }, 180_000); // two migration runs on an embedded database: slow on a busy machine
});
