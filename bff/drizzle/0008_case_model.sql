-- Hand-written data conversion (marked "-- data:"): existing cases keep their id (== their booking's id) and
-- become door-visit cases of a person; each shipment's text subject_id becomes a checked reference (a case if
-- one has that id, else a booking). Legs whose subject is neither (none are made by the product) are deleted,
-- with their settlement rows and flag handlings. Outlets so far were all in 广东省广州市 (the demo catalogue);
-- the next catalogue sync writes what the platform says.
DROP INDEX "shipments_subject_idx";--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();--> statement-breakpoint
ALTER TABLE "outlets" ADD COLUMN "province" text NOT NULL DEFAULT '广东省';--> statement-breakpoint
ALTER TABLE "outlets" ADD COLUMN "city" text NOT NULL DEFAULT '广州市';--> statement-breakpoint
ALTER TABLE "outlets" ALTER COLUMN "province" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "outlets" ALTER COLUMN "city" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "channel" text NOT NULL DEFAULT 'door_visit';--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "applicant_kind" text NOT NULL DEFAULT 'person';--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "channel" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "applicant_kind" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "enterprise_name" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "enterprise_credit_code" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "problem" jsonb;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "subject_kind" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "booking_id" uuid;--> statement-breakpoint
-- data: text subject → checked reference
UPDATE "shipments" s SET "subject_kind" = 'case', "case_id" = c."id" FROM "cases" c WHERE c."id"::text = s."subject_id";--> statement-breakpoint
UPDATE "shipments" s SET "subject_kind" = 'booking', "booking_id" = b."id" FROM "bookings" b WHERE s."subject_kind" IS NULL AND b."id"::text = s."subject_id";--> statement-breakpoint
DELETE FROM "settlement_items" WHERE "shipment_id" IN (SELECT "id" FROM "shipments" WHERE "subject_kind" IS NULL) OR "case_id" NOT IN (SELECT "id" FROM "cases");--> statement-breakpoint
DELETE FROM "shipment_flag_handlings" WHERE "shipment_id" IN (SELECT "id" FROM "shipments" WHERE "subject_kind" IS NULL);--> statement-breakpoint
DELETE FROM "shipments" WHERE "subject_kind" IS NULL;--> statement-breakpoint
-- end of data conversion
ALTER TABLE "shipments" ALTER COLUMN "subject_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" DROP COLUMN "subject_id";--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_items" ADD CONSTRAINT "settlement_items_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_items" ADD CONSTRAINT "settlement_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shipments_case_idx" ON "shipments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "shipments_booking_idx" ON "shipments" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_booking_idx" ON "cases" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "cases_our_id_idx" ON "cases" USING btree (("id"::text));--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_subject_check" CHECK (("shipments"."subject_kind" = 'case' and "shipments"."case_id" is not null and "shipments"."booking_id" is null)
        or ("shipments"."subject_kind" = 'booking' and "shipments"."booking_id" is not null and "shipments"."case_id" is null));--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_applicant_check" CHECK (("cases"."applicant_kind" = 'person' and "cases"."enterprise_name" is null and "cases"."enterprise_credit_code" is null)
        or ("cases"."applicant_kind" = 'enterprise' and "cases"."enterprise_name" is not null and "cases"."enterprise_credit_code" is not null));--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_channel_check" CHECK ("cases"."channel" in ('door_visit', 'online', 'outlet_window', 'enterprise_claim', 'bundle'));
