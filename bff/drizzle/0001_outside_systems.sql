CREATE TABLE "gov_case_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"proj_id" text NOT NULL,
	"our_id" text NOT NULL,
	"stage" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"template_id" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"page" text,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"errcode" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "shipment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"waybill_no" text NOT NULL,
	"op_code" text NOT NULL,
	"op_name" text,
	"op_time" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"deliver_code" text,
	"attempt_delivery_code" text,
	"org_name" text,
	"raw" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipment_events_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"leg" text NOT NULL,
	"subject_id" text NOT NULL,
	"sender_sealed" text NOT NULL,
	"receiver_sealed" text NOT NULL,
	"weight_grams" integer DEFAULT 500 NOT NULL,
	"pickup_from" timestamp with time zone,
	"pickup_to" timestamp with time zone,
	"status" text DEFAULT 'pending' NOT NULL,
	"waybill_no" text,
	"ordered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipments_waybill_no_unique" UNIQUE("waybill_no")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gov_case_events_proj_idx" ON "gov_case_events" USING btree ("proj_id","occurred_at");--> statement-breakpoint
CREATE INDEX "shipment_events_waybill_time_idx" ON "shipment_events" USING btree ("waybill_no","op_time");