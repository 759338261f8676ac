CREATE TABLE "settlement_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"centre_outlet_id" text NOT NULL,
	"valid_from" text NOT NULL,
	"mode" text NOT NULL,
	"prices_fen" jsonb,
	"monthly_fen" integer,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_contracts_mode_check" CHECK (("settlement_contracts"."mode" = 'per_piece' and "settlement_contracts"."prices_fen" is not null and "settlement_contracts"."monthly_fen" is null)
        or ("settlement_contracts"."mode" = 'lump_sum' and "settlement_contracts"."monthly_fen" is not null and "settlement_contracts"."prices_fen" is null))
);
--> statement-breakpoint
CREATE TABLE "settlement_reconciliations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"centre_outlet_id" text NOT NULL,
	"month" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	"bill_pieces" integer,
	"bill_total_fen" integer,
	"our_pieces" integer,
	"our_total_fen" integer,
	"mismatches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "settlement_reconciliations_status_check" CHECK ("settlement_reconciliations"."status" in ('pending', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "centre_outlet_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_contracts_centre_month_idx" ON "settlement_contracts" USING btree ("centre_outlet_id","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_reconciliations_centre_month_idx" ON "settlement_reconciliations" USING btree ("centre_outlet_id","month");--> statement-breakpoint
CREATE INDEX "shipments_centre_ordered_idx" ON "shipments" USING btree ("centre_outlet_id","ordered_at");