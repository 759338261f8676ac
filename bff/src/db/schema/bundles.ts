import { boolean, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * 一件事一次办 bundles as the platform publishes them, replaced with the catalogue by `catalogue.sync` in the same
 * transaction. Like matters, nothing holds a foreign key to these rows: a booking keeps a snapshot of its bundle.
 */
export const bundles = pgTable('bundles', {
  code: text('code').primaryKey(),
  version: text('version').notNull(),
  name: text('name').notNull(),
  theme: text('theme').notNull(),
  description: text('description').notNull(),
  doorPickup: boolean('door_pickup').notNull(),
  /** The form fields its matters ask for, each once: {id, label, kind}. */
  fields: jsonb('fields').$type<{ id: string; label: string; kind: string }[]>().notNull(),
  position: integer('position').notNull(),
});

/** The matters of a bundle, with the form fields each asks for and the matters whose result it waits for. */
export const bundleMatters = pgTable(
  'bundle_matters',
  {
    bundleCode: text('bundle_code')
      .notNull()
      .references(() => bundles.code, { onDelete: 'cascade' }),
    matterCode: text('matter_code').notNull(),
    position: integer('position').notNull(),
    fieldIds: text('field_ids').array().notNull(),
    dependsOn: text('depends_on').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.bundleCode, t.matterCode] })],
);

/** 情形: which of a bundle's matters apply, and up to which age of the child (days; null: any). */
export const bundleSituations = pgTable(
  'bundle_situations',
  {
    bundleCode: text('bundle_code')
      .notNull()
      .references(() => bundles.code, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    maxAgeDays: integer('max_age_days'),
  },
  (t) => [primaryKey({ columns: [t.bundleCode, t.id] })],
);

/**
 * One merged materials list per bundle, merged at sync: a material several matters ask for (same name) is listed
 * once, in its strictest form and largest count; `sources` names each matter's own material it stands for.
 * A material that another matter of the bundle issues (e.g. 出生医学证明) is listed with `issuedBy`, and is not
 * asked of the applicant when that matter applies.
 */
export const bundleMaterials = pgTable(
  'bundle_materials',
  {
    bundleCode: text('bundle_code')
      .notNull()
      .references(() => bundles.code, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    form: text('form').$type<'original' | 'copy' | 'original_and_copy'>().notNull(),
    count: integer('count').notNull(),
    required: boolean('required').notNull(),
    note: text('note'),
    sources: jsonb('sources').$type<{ matterCode: string; materialId: string }[]>().notNull(),
    /** The matter of this bundle whose result this material is. */
    issuedBy: text('issued_by'),
  },
  (t) => [primaryKey({ columns: [t.bundleCode, t.id] })],
);
