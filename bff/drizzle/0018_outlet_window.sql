CREATE SEQUENCE "public"."window_appointment_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "window_appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"user_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"outlet_id" text NOT NULL,
	"slot_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"matter_code" text NOT NULL,
	"matter_name" text NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "window_appointments_number_unique" UNIQUE("number"),
	CONSTRAINT "window_appointments_status_check" CHECK ("window_appointments"."status" in ('booked', 'served', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "window_intakes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"outlet_id" text NOT NULL,
	"clerk_id" uuid NOT NULL,
	"appointment_id" uuid,
	"user_id" uuid,
	"matter_code" text NOT NULL,
	"matter_name" text NOT NULL,
	"matter_version" text NOT NULL,
	"applicant_sealed" text NOT NULL,
	"status" text DEFAULT 'reviewing' NOT NULL,
	"review" jsonb,
	"missing_items" jsonb,
	"case_id" uuid,
	"shipment_id" uuid,
	"query_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"collected_at" timestamp with time zone,
	CONSTRAINT "window_intakes_appointment_id_unique" UNIQUE("appointment_id"),
	CONSTRAINT "window_intakes_case_id_unique" UNIQUE("case_id"),
	CONSTRAINT "window_intakes_status_check" CHECK ("window_intakes"."status" in ('reviewing', 'incomplete', 'collected'))
);
--> statement-breakpoint
CREATE TABLE "window_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"outlet_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "window_slots_capacity_check" CHECK ("window_slots"."booked" between 0 and "window_slots"."capacity")
);
--> statement-breakpoint
ALTER TABLE "window_appointments" ADD CONSTRAINT "window_appointments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_appointments" ADD CONSTRAINT "window_appointments_outlet_id_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."outlets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_appointments" ADD CONSTRAINT "window_appointments_slot_id_window_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."window_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_intakes" ADD CONSTRAINT "window_intakes_outlet_id_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."outlets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_intakes" ADD CONSTRAINT "window_intakes_clerk_id_users_id_fk" FOREIGN KEY ("clerk_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_intakes" ADD CONSTRAINT "window_intakes_appointment_id_window_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."window_appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_intakes" ADD CONSTRAINT "window_intakes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_intakes" ADD CONSTRAINT "window_intakes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "window_appointments_user_key_idx" ON "window_appointments" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "window_appointments_outlet_day_idx" ON "window_appointments" USING btree ("outlet_id","starts_at");--> statement-breakpoint
CREATE INDEX "window_appointments_user_idx" ON "window_appointments" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "window_intakes_outlet_idx" ON "window_intakes" USING btree ("outlet_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "window_slots_outlet_start_idx" ON "window_slots" USING btree ("outlet_id","starts_at");