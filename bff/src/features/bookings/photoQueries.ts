import { Role } from '@zyt/shared';
import { and, asc, count, eq } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, bookingPhotos, bookings, piiAccessLog } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';

export const MAX_PHOTOS = 12;
const photoContext = (photoId: string) => `booking_photos/${photoId}`;

/** The visit, if the caller holds it (or supervises); anything else is "not found". */
export async function getPhotoVisit(
  db: DatabaseOrTransaction,
  params: { id: string; userId: string; roles: readonly string[] },
): Promise<Booking> {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, params.id));
  if (!b || (b.agentId !== params.userId && !params.roles.includes(Role.supervisor)))
    throw new AppError(404, 'BOOKING_NOT_FOUND');
  return b;
}

/** Stores a photo sealed, up to MAX_PHOTOS per visit. */
export async function addPhoto(
  db: DatabaseOrTransaction,
  params: { bookingId: string; agentId: string; contentType: string; data: Buffer; pii: PiiCipher },
) {
  const [{ n }] = (await db
    .select({ n: count() })
    .from(bookingPhotos)
    .where(eq(bookingPhotos.bookingId, params.bookingId))) as [{ n: number }];
  if (n >= MAX_PHOTOS) throw new AppError(409, 'PHOTO_LIMIT_REACHED');
  const id = crypto.randomUUID();
  const [photo] = await db
    .insert(bookingPhotos)
    .values({
      id,
      bookingId: params.bookingId,
      agentId: params.agentId,
      contentType: params.contentType,
      bytes: params.data.length,
      sealed: params.pii.encrypt(params.data.toString('base64'), photoContext(id)),
    })
    .returning();
  return photo!;
}

export function listPhotos(db: DatabaseOrTransaction, bookingId: string) {
  return db
    .select()
    .from(bookingPhotos)
    .where(eq(bookingPhotos.bookingId, bookingId))
    .orderBy(asc(bookingPhotos.createdAt));
}

/** One photo's content, opened; the read is written to the staff access log. */
export async function readPhoto(
  db: DatabaseOrTransaction,
  params: { bookingId: string; photoId: string; staffId: string; pii: PiiCipher },
) {
  const [p] = await db
    .select()
    .from(bookingPhotos)
    .where(and(eq(bookingPhotos.id, params.photoId), eq(bookingPhotos.bookingId, params.bookingId)));
  if (!p) throw new AppError(404, 'NOT_FOUND');
  await db.insert(piiAccessLog).values({
    staffId: params.staffId,
    subjectType: 'booking_photo',
    subjectId: p.id,
    fields: ['photo'],
    purpose: 'view',
  });
  return {
    contentType: p.contentType,
    data: Buffer.from(params.pii.decrypt(p.sealed, photoContext(p.id)), 'base64'),
  };
}
