CREATE TABLE "result_mailings" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"ordered_by" text NOT NULL,
	"ordered_by_id" uuid NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"centre_outlet_id" text NOT NULL,
	"county" text NOT NULL,
	"address_sealed" text NOT NULL,
	"contact_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_mailings_ordered_by_check" CHECK ("result_mailings"."ordered_by" in ('resident', 'centre'))
);
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "result_mailings" ADD CONSTRAINT "result_mailings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_mailings" ADD CONSTRAINT "result_mailings_centre_outlet_id_outlets_id_fk" FOREIGN KEY ("centre_outlet_id") REFERENCES "public"."outlets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "result_mailings_key_idx" ON "result_mailings" USING btree ("ordered_by_id","idempotency_key") WHERE "result_mailings"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "result_mailings_centre_idx" ON "result_mailings" USING btree ("centre_outlet_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_result_shipment_idx" ON "cases" USING btree ("result_shipment_id");