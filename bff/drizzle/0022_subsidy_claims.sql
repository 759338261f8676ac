CREATE TABLE "subsidy_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"credit_code" text NOT NULL,
	"user_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"channel" text NOT NULL,
	"last_year_fen" integer NOT NULL,
	"rate_percent" integer NOT NULL,
	"amount_fen" integer NOT NULL,
	"headcount" integer NOT NULL,
	"bank_name" text NOT NULL,
	"bank_account_sealed" text NOT NULL,
	"bank_account_last4" text NOT NULL,
	"contact_sealed" text NOT NULL,
	"address_sealed" text NOT NULL,
	"centre_outlet_id" text NOT NULL,
	"cover_code" text,
	"booking_id" uuid,
	"shipment_id" uuid,
	"materials_received_at" timestamp with time zone,
	"received_by" uuid,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_claims_cover_code_unique" UNIQUE("cover_code"),
	CONSTRAINT "subsidy_claims_channel_check" CHECK ("subsidy_claims"."channel" in ('ems_pickup', 'door_visit', 'self_post'))
);
--> statement-breakpoint
ALTER TABLE "subsidy_rounds" ADD COLUMN "rate_percent" integer;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_round_id_subsidy_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."subsidy_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_credit_code_enterprises_credit_code_fk" FOREIGN KEY ("credit_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_claims_round_code_idx" ON "subsidy_claims" USING btree ("round_id","credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_claims_case_idx" ON "subsidy_claims" USING btree ("case_id");