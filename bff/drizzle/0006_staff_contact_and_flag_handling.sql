CREATE TABLE "shipment_flag_handlings" (
	"shipment_id" uuid PRIMARY KEY NOT NULL,
	"handled_by" uuid NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "staff_no" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_sealed" text;--> statement-breakpoint
ALTER TABLE "shipment_flag_handlings" ADD CONSTRAINT "shipment_flag_handlings_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_staff_no_unique" UNIQUE("staff_no");