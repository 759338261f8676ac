CREATE TABLE "bundle_materials" (
	"bundle_code" text NOT NULL,
	"id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"form" text NOT NULL,
	"count" integer NOT NULL,
	"required" boolean NOT NULL,
	"note" text,
	"sources" jsonb NOT NULL,
	"issued_by" text,
	CONSTRAINT "bundle_materials_bundle_code_id_pk" PRIMARY KEY("bundle_code","id")
);
--> statement-breakpoint
CREATE TABLE "bundle_matters" (
	"bundle_code" text NOT NULL,
	"matter_code" text NOT NULL,
	"position" integer NOT NULL,
	"field_ids" text[] NOT NULL,
	"depends_on" text[] NOT NULL,
	CONSTRAINT "bundle_matters_bundle_code_matter_code_pk" PRIMARY KEY("bundle_code","matter_code")
);
--> statement-breakpoint
CREATE TABLE "bundle_situations" (
	"bundle_code" text NOT NULL,
	"id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"matter_codes" text[] NOT NULL,
	"max_age_days" integer,
	CONSTRAINT "bundle_situations_bundle_code_id_pk" PRIMARY KEY("bundle_code","id")
);
--> statement-breakpoint
CREATE TABLE "bundles" (
	"code" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"theme" text NOT NULL,
	"description" text NOT NULL,
	"door_pickup" boolean NOT NULL,
	"fields" jsonb NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "bundle" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "bundle_form_sealed" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "bundle_booking_id" uuid;--> statement-breakpoint
ALTER TABLE "bundle_materials" ADD CONSTRAINT "bundle_materials_bundle_code_bundles_code_fk" FOREIGN KEY ("bundle_code") REFERENCES "public"."bundles"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_matters" ADD CONSTRAINT "bundle_matters_bundle_code_bundles_code_fk" FOREIGN KEY ("bundle_code") REFERENCES "public"."bundles"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_situations" ADD CONSTRAINT "bundle_situations_bundle_code_bundles_code_fk" FOREIGN KEY ("bundle_code") REFERENCES "public"."bundles"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_bundle_booking_id_bookings_id_fk" FOREIGN KEY ("bundle_booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_bundle_matter_idx" ON "cases" USING btree ("bundle_booking_id","matter_code");