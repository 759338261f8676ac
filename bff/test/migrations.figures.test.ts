import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/client';

/** The committed migrations before the figures one, in a folder of their own. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zyt-migrations-'));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e) => e.tag.endsWith(tag)),
  );
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe('figures migration', () => {
  it("gives existing cases their centre (result mailing's, or the one serving the visit's county) and submission time", async () => {
    const client = new PGlite();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: migrationsBefore('_figures') });
    const user = '00000000-0000-4000-8000-000000000001';
    const booking = '00000000-0000-4000-8000-0000000000b1';
    const door = '00000000-0000-4000-8000-0000000000c1';
    const mailed = '00000000-0000-4000-8000-0000000000c2';
    const online = '00000000-0000-4000-8000-0000000000c3';
    const outlet = (id: string, kind: string, district: string, position: number) =>
      `('${id}', '${id}', '${kind}', 'a', '广东省', '广州市', '${district}', 's', 23.1, 113.4, '020', '[]', ${position})`;
    await client.exec(`
      insert into users (id, openid) values ('${user}', 'old-user');
      insert into outlets (id, name, kind, address, province, city, district, street, lat, lng, phone, hours, position)
      values ${outlet('PO', 'post_office', '黄埔区', 1)}, ${outlet('SC-2', 'service_centre', '黄埔区', 3)},
        ${outlet('SC-1', 'service_centre', '黄埔区', 2)}, ${outlet('SC-X', 'service_centre', '天河区', 1)};
      insert into bookings (id, number, user_id, idempotency_key, request_hash, matter_code, matter_name,
        matter_version, status, window_kind, county, outlet_id, address_sealed, contact_sealed)
      values ('${booking}', '261101000001', '${user}', 'k1', 'h', 'M', '事项', '1', 'collected', 'asap',
        '黄埔区', 'PO', 'a', 'c');
      insert into cases (id, user_id, channel, applicant_kind, booking_id, proj_id, matter_code, matter_name, promised_working_days)
      values ('${door}', '${user}', 'door_visit', 'person', '${booking}', 'P1', 'M', '事项', 5),
        ('${mailed}', '${user}', 'outlet_window', 'person', null, 'P2', 'M', '事项', 5),
        ('${online}', '${user}', 'online', 'person', null, 'P3', 'M', '事项', 5);
      insert into result_mailings (case_id, ordered_by, ordered_by_id, centre_outlet_id, county, address_sealed, contact_sealed)
      values ('${mailed}', 'resident', '${user}', 'SC-X', '天河区', 'a', 'c');
      insert into gov_case_events (event_id, proj_id, our_id, stage, occurred_at, payload) values
        ('e2', 'P1', '${door}', '2', '2026-03-02T02:00:00Z', '{}'),
        ('e1', 'P1', '${door}', '1', '2026-03-01T02:00:00Z', '{}'),
        ('e3', 'P2', 'x', '1', '2026-03-01T02:00:00Z', '{}');
    `);

    await migrate(db, { migrationsFolder: migrationsFolder() });
    const { rows } = await client.query<{ id: string; centre_id: string | null; submitted_at: Date | null }>(
      'select id, centre_id, submitted_at from cases order by id',
    );
    expect(rows).toEqual([
      { id: door, centre_id: 'SC-1', submitted_at: new Date('2026-03-01T02:00:00Z') },
      // Applied for elsewhere: not submitted by us.
      { id: mailed, centre_id: 'SC-X', submitted_at: null },
      { id: online, centre_id: null, submitted_at: null },
    ]);
    await client.close();
  });
});
