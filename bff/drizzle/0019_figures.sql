ALTER TABLE "cases" ADD COLUMN "centre_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_centre_id_outlets_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."outlets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_centre_created_idx" ON "cases" USING btree ("centre_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "settlement_items_created_idx" ON "settlement_items" USING btree ("created_at");--> statement-breakpoint
-- Cases opened before the centre was recorded: a result mailing's centre, or the centre serving a door visit's county (as servingOutlets chooses it).
UPDATE "cases" c SET "centre_id" = m."centre_outlet_id" FROM "result_mailings" m WHERE m."case_id" = c."id" AND c."centre_id" IS NULL;--> statement-breakpoint
UPDATE "cases" c SET "centre_id" = (
  SELECT o."id" FROM "outlets" o
  LEFT JOIN "matter_outlets" mo ON mo."outlet_id" = o."id" AND mo."matter_code" = b."matter_code"
  WHERE o."district" = b."county" AND o."kind" = 'service_centre'
  ORDER BY mo."outlet_id" IS NULL, o."position" LIMIT 1)
FROM "bookings" b WHERE b."id" = c."booking_id" AND c."centre_id" IS NULL;--> statement-breakpoint
-- …and submitted: the first stage the platform told us of for a case we submitted (door visits).
UPDATE "cases" c SET "submitted_at" = (SELECT min(e."occurred_at") FROM "gov_case_events" e WHERE e."proj_id" = c."proj_id")
WHERE c."booking_id" IS NOT NULL AND c."proj_id" IS NOT NULL AND c."submitted_at" IS NULL;
