CREATE TABLE "handover_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handover_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"material_id" text NOT NULL,
	"name" text NOT NULL,
	"copies" integer NOT NULL,
	"position" integer NOT NULL,
	"state" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"from_outlet_id" text NOT NULL,
	"to_centre_id" text NOT NULL,
	"status" text DEFAULT 'in_transit' NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	"finding_handled_by" uuid,
	"finding_handled_at" timestamp with time zone,
	"finding_note" text
);
--> statement-breakpoint
CREATE TABLE "staff_outlets" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"outlet_id" text NOT NULL,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "note_sealed" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "location_sealed" text;--> statement-breakpoint
ALTER TABLE "handover_items" ADD CONSTRAINT "handover_items_handover_id_handovers_id_fk" FOREIGN KEY ("handover_id") REFERENCES "public"."handovers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_items" ADD CONSTRAINT "handover_items_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handovers" ADD CONSTRAINT "handovers_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_outlets" ADD CONSTRAINT "staff_outlets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handover_items_handover_idx" ON "handover_items" USING btree ("handover_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "handover_items_booking_material_idx" ON "handover_items" USING btree ("booking_id","material_id");--> statement-breakpoint
CREATE UNIQUE INDEX "handovers_code_idx" ON "handovers" USING btree ("code");--> statement-breakpoint
CREATE INDEX "handovers_centre_idx" ON "handovers" USING btree ("to_centre_id","status");