import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { addPhoto, getPhotoVisit, listPhotos, readPhoto } from './photoQueries';

const MAX_BYTES = 5 * 1024 * 1024;
/** Recognised by their first bytes, not by what the client claims. */
const signatures: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    type: 'image/webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];
/** A phone camera's largest frames are ~50 MP; more is a decompression bomb, not a photo. */
const MAX_PIXELS = 60_000_000;
const extension: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Decodes the upload and encodes it again in the same format: what we keep is pixels only. EXIF (GPS position,
 * camera serial), ICC profiles, comments and anything appended after the image (e.g. HTML behind a JPEG
 * header) are gone. The EXIF orientation is applied first so the photo stays upright. Undecodable → undefined.
 */
async function reencode(data: Buffer, type: string): Promise<Buffer | undefined> {
  const image = sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'warning' }).rotate();
  try {
    if (type === 'image/png') return await image.png().toBuffer();
    if (type === 'image/webp') return await image.webp({ quality: 85 }).toBuffer();
    return await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
  } catch {
    return undefined;
  }
}

const Photo = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  createdAt: Type.String(),
});
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429);

/** Photos of the materials at the door (初审留档): agent who holds the visit uploads; supervisors may view. */
export default async function visitPhotoRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;
  await app.register(multipart, { limits: { fileSize: MAX_BYTES, files: 1, fields: 0 } });

  const heldVisit = (id: string, userId: string, roles: readonly string[]) =>
    getPhotoVisit(db, { id, userId, roles });

  app.post(
    '/staff/visits/:id/photos',
    {
      config: { access: [Role.postalAgent] },
      schema: {
        tags: ['visits'],
        summary: 'Upload a photo of the materials (multipart field "photo"; JPEG, PNG or WebP up to 5 MB)',
        params: Params,
        response: { 201: Photo, ...errors },
      },
    },
    async (req, reply) => {
      const b = await heldVisit(req.params.id, req.userId, []);
      if (!['arrived', 'reviewing'].includes(b.status))
        throw new AppError(409, 'BOOKING_STATE_CONFLICT', '到达并开始初审后才能拍照留档');
      const part = await req.file().catch(() => undefined);
      if (!part) throw new AppError(400, 'PHOTO_MISSING');
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(413, 'PHOTO_TOO_LARGE');
        throw err;
      }
      const type = signatures.find((s) => s.test(data))?.type;
      if (!type) throw new AppError(415, 'PHOTO_TYPE_UNSUPPORTED');
      const clean = await reencode(data, type);
      if (!clean) throw new AppError(422, 'PHOTO_UNREADABLE');
      data = clean;
      const photo = await addPhoto(db, {
        bookingId: b.id,
        agentId: req.userId,
        contentType: type,
        data,
        pii: app.pii,
      });
      return reply.code(201).send({
        id: photo.id,
        contentType: type,
        bytes: data.length,
        createdAt: photo.createdAt.toISOString(),
      });
    },
  );

  app.get(
    '/staff/visits/:id/photos',
    {
      config: { access: [Role.postalAgent, Role.supervisor] },
      schema: {
        tags: ['visits'],
        summary: 'Photos taken at a visit',
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(Photo) }), ...errors },
      },
    },
    async (req) => {
      const b = await heldVisit(req.params.id, req.userId, req.user.roles);
      const rows = await listPhotos(db, b.id);
      return {
        items: rows.map((p) => ({
          id: p.id,
          contentType: p.contentType,
          bytes: p.bytes,
          createdAt: p.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/staff/visits/:id/photos/:photoId',
    {
      config: { access: [Role.postalAgent, Role.supervisor] },
      schema: {
        tags: ['visits'],
        summary: 'One photo (the read is logged)',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          photoId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (req, reply) => {
      const b = await heldVisit(req.params.id, req.userId, req.user.roles);
      const photo = await readPhoto(db, {
        bookingId: b.id,
        photoId: req.params.photoId,
        staffId: req.userId,
        pii: app.pii,
      });
      return (
        reply
          .header('content-type', photo.contentType)
          .header('cache-control', 'private, no-store')
          // Never rendered as anything but the image it is, and saved rather than opened as a page.
          .header('x-content-type-options', 'nosniff')
          .header(
            'content-disposition',
            `attachment; filename="${req.params.photoId}.${extension[photo.contentType] ?? 'bin'}"`,
          )
          .send(photo.data)
      );
    },
  );
}
