CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"booking_id" uuid,
	"proj_id" text,
	"matter_code" text NOT NULL,
	"matter_name" text NOT NULL,
	"promised_working_days" integer NOT NULL,
	"status" text DEFAULT 'submitting' NOT NULL,
	"stage" text,
	"stage_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"promised_by" timestamp with time zone,
	"promised_provisional" boolean DEFAULT false NOT NULL,
	"completed_at" timestamp with time zone,
	"result" jsonb,
	"deliver_by" timestamp with time zone,
	"deliver_by_provisional" boolean DEFAULT false NOT NULL,
	"result_shipment_id" uuid,
	"supplement" jsonb,
	"reason" text,
	"last_heard_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_proj_id_unique" UNIQUE("proj_id")
);
--> statement-breakpoint
CREATE TABLE "settlement_items" (
	"shipment_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"waybill_no" text NOT NULL,
	"leg" text NOT NULL,
	"payer" text DEFAULT 'government' NOT NULL,
	"basis" text DEFAULT 'per_piece' NOT NULL,
	"amount_fen" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscribe_grants" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"remaining" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscribe_grants_user_id_kind_pk" PRIMARY KEY("user_id","kind")
);
--> statement-breakpoint
ALTER TABLE "shipment_events" ADD COLUMN "signer_relation" text;--> statement-breakpoint
ALTER TABLE "shipment_events" ADD COLUMN "signer_id_sealed" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "flags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "last_heard_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribe_grants" ADD CONSTRAINT "subscribe_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_user_idx" ON "cases" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_status_heard_idx" ON "cases" USING btree ("status","last_heard_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_case_events_natural_idx" ON "gov_case_events" USING btree ("proj_id","stage","occurred_at");--> statement-breakpoint
CREATE INDEX "shipments_subject_idx" ON "shipments" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "shipments_status_heard_idx" ON "shipments" USING btree ("status","last_heard_at");