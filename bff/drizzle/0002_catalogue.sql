CREATE TABLE "catalogue_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" text NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"matter_count" integer NOT NULL,
	"outlet_count" integer NOT NULL,
	CONSTRAINT "catalogue_state_one_row" CHECK ("catalogue_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "matter_materials" (
	"matter_code" text NOT NULL,
	"id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"form" text NOT NULL,
	"count" integer NOT NULL,
	"required" boolean NOT NULL,
	"note" text,
	CONSTRAINT "matter_materials_matter_code_id_pk" PRIMARY KEY("matter_code","id")
);
--> statement-breakpoint
CREATE TABLE "matter_outlets" (
	"matter_code" text NOT NULL,
	"outlet_id" text NOT NULL,
	CONSTRAINT "matter_outlets_matter_code_outlet_id_pk" PRIMARY KEY("matter_code","outlet_id")
);
--> statement-breakpoint
CREATE TABLE "matters" (
	"code" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"applicant_type" text NOT NULL,
	"theme" text NOT NULL,
	"matter_type" text NOT NULL,
	"case_type" smallint NOT NULL,
	"department" text NOT NULL,
	"promised_working_days" integer NOT NULL,
	"legal_working_days" integer NOT NULL,
	"conditions" text NOT NULL,
	"fees" text NOT NULL,
	"door_pickup" boolean NOT NULL,
	"at_outlet" boolean NOT NULL,
	"mail" text NOT NULL,
	"result_name" text NOT NULL,
	"result_kind" text NOT NULL,
	"position" integer NOT NULL,
	"search_name" text NOT NULL,
	"search_extra" text NOT NULL,
	"search_grams" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outlets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"district" text NOT NULL,
	"street" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"phone" text NOT NULL,
	"hours" jsonb NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "matter_materials" ADD CONSTRAINT "matter_materials_matter_code_matters_code_fk" FOREIGN KEY ("matter_code") REFERENCES "public"."matters"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_outlets" ADD CONSTRAINT "matter_outlets_matter_code_matters_code_fk" FOREIGN KEY ("matter_code") REFERENCES "public"."matters"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_outlets" ADD CONSTRAINT "matter_outlets_outlet_id_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."outlets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matter_outlets_outlet_idx" ON "matter_outlets" USING btree ("outlet_id");--> statement-breakpoint
CREATE INDEX "matters_search_grams_idx" ON "matters" USING gin ("search_grams");--> statement-breakpoint
CREATE INDEX "matters_theme_idx" ON "matters" USING btree ("theme");--> statement-breakpoint
CREATE INDEX "matters_position_idx" ON "matters" USING btree ("position");--> statement-breakpoint
CREATE INDEX "outlets_district_idx" ON "outlets" USING btree ("district");