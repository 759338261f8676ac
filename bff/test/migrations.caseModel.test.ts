import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/client';

/** The committed migrations up to and including `tag`, in a folder of their own. */
function migrationsUpTo(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zyt-migrations-'));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe('case model migration', () => {
  it('keeps existing cases (id == booking id) and turns text subjects into checked references', async () => {
    const client = new PGlite();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: migrationsUpTo('0007_booking_event_kinds') });
    const user = '00000000-0000-4000-8000-000000000001';
    const booking = '00000000-0000-4000-8000-0000000000b1';
    const bookingOnly = '00000000-0000-4000-8000-0000000000b2';
    await client.exec(`
      insert into users (id, openid) values ('${user}', 'old-user');
      insert into bookings (id, number, user_id, idempotency_key, request_hash, matter_code, matter_name,
        matter_version, status, window_kind, county, outlet_id, address_sealed, contact_sealed)
      values ('${booking}', '261101000001', '${user}', 'k1', 'h', 'M', '事项', '1', 'case_submitted', 'asap',
          '黄埔区', 'HP-PO-01', 'a', 'c'),
        ('${bookingOnly}', '261101000002', '${user}', 'k2', 'h', 'M', '事项', '1', 'collected', 'asap',
          '黄埔区', 'HP-PO-01', 'a', 'c');
      insert into cases (id, user_id, booking_id, matter_code, matter_name, promised_working_days)
      values ('${booking}', '${user}', '${booking}', 'M', '事项', 5);
      insert into shipments (id, leg, subject_id, sender_sealed, receiver_sealed, waybill_no) values
        ('00000000-0000-4000-8000-0000000000e1', 'materials_to_centre', '${booking}', 's', 'r', '1100000000001'),
        ('00000000-0000-4000-8000-0000000000e2', 'materials_to_centre', '${bookingOnly}', 's', 'r', null),
        ('00000000-0000-4000-8000-0000000000e3', 'result_to_applicant', 'case-unknown', 's', 'r', null);
      insert into settlement_items (shipment_id, case_id, waybill_no, leg, amount_fen)
      values ('00000000-0000-4000-8000-0000000000e1', '${booking}', '1100000000001', 'materials_to_centre', 1200);
    `);

    await migrate(db, { migrationsFolder: migrationsFolder() });
    const { rows: kept } = await client.query<Record<string, unknown>>(
      'select id, booking_id, channel, applicant_kind from cases',
    );
    expect(kept).toEqual([
      { id: booking, booking_id: booking, channel: 'door_visit', applicant_kind: 'person' },
    ]);
    const { rows: legs } = await client.query<Record<string, unknown>>(
      'select id, subject_kind, case_id, booking_id from shipments order by id',
    );
    expect(legs).toEqual([
      {
        id: '00000000-0000-4000-8000-0000000000e1',
        subject_kind: 'case',
        case_id: booking,
        booking_id: null,
      },
      {
        id: '00000000-0000-4000-8000-0000000000e2',
        subject_kind: 'booking',
        case_id: null,
        booking_id: bookingOnly,
      },
    ]);
    const { rows: pieces } = await client.query('select shipment_id from settlement_items');
    expect(pieces).toHaveLength(1);
    await client.close();
  });
});
