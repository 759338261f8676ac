ALTER TABLE "supplements" ADD COLUMN "group_id" uuid;--> statement-breakpoint
CREATE INDEX "supplements_group_idx" ON "supplements" USING btree ("group_id");