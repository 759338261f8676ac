CREATE TABLE "bag_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"count" integer NOT NULL,
	"valid_until" date NOT NULL,
	"note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bags" (
	"code" text PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"state" text DEFAULT 'issued' NOT NULL,
	"supplement_id" uuid,
	"bound_by" text,
	"bound_at" timestamp with time zone,
	"ticked" jsonb,
	"handover" jsonb,
	"confirm_key" text,
	"confirm_hash" text,
	"shipment_id" uuid,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	"receipt" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bags_state_check" CHECK ("bags"."state" in ('issued', 'bound', 'sent', 'received')),
	CONSTRAINT "bags_bound_check" CHECK (("bags"."state" = 'issued') = ("bags"."supplement_id" is null)
        and ("bags"."state" in ('sent', 'received')) = ("bags"."shipment_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "supplements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"source" text NOT NULL,
	"gov_requested_at" text,
	"items" jsonb NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"previous_id" uuid,
	"pushed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplements_source_check" CHECK ("supplements"."source" in ('platform', 'door', 'centre')),
	CONSTRAINT "supplements_status_check" CHECK ("supplements"."status" in ('open', 'received', 'superseded'))
);
--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "tolerant_acceptance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bag_batches" ADD CONSTRAINT "bag_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bags" ADD CONSTRAINT "bags_batch_id_bag_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."bag_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bags" ADD CONSTRAINT "bags_supplement_id_supplements_id_fk" FOREIGN KEY ("supplement_id") REFERENCES "public"."supplements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bags" ADD CONSTRAINT "bags_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplements" ADD CONSTRAINT "supplements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bags_batch_idx" ON "bags" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bags_supplement_idx" ON "bags" USING btree ("supplement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bags_shipment_idx" ON "bags" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "supplements_case_idx" ON "supplements" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "supplements_open_deadline_idx" ON "supplements" USING btree ("status","deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "supplements_platform_request_idx" ON "supplements" USING btree ("case_id","gov_requested_at") WHERE "supplements"."source" = 'platform';