CREATE TABLE "enterprise_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"credit_code" text NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	CONSTRAINT "enterprise_members_role_check" CHECK ("enterprise_members"."role" in ('admin', 'clerk')),
	CONSTRAINT "enterprise_members_status_check" CHECK ("enterprise_members"."status" in ('pending', 'active', 'refused', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"credit_code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"legal_representative_masked" text NOT NULL,
	"pilot_code" boolean DEFAULT false NOT NULL,
	"looked_up_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_confirmations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"credit_code" text NOT NULL,
	"user_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	"size_class" text NOT NULL,
	"headcount" integer NOT NULL,
	"bank_name" text NOT NULL,
	"bank_account_sealed" text NOT NULL,
	"bank_account_last4" text NOT NULL,
	"contact_phone_sealed" text NOT NULL,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_reminders" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"credit_code" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_reminders_round_id_user_id_credit_code_pk" PRIMARY KEY("round_id","user_id","credit_code")
);
--> statement-breakpoint
CREATE TABLE "subsidy_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_round_id" text NOT NULL,
	"name" text NOT NULL,
	"rule" text NOT NULL,
	"matter_code" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"list_size" integer NOT NULL,
	"status" text DEFAULT 'importing' NOT NULL,
	"imported_rows" integer,
	"imported_at" timestamp with time zone,
	"published_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_rounds_platform_round_id_unique" UNIQUE("platform_round_id")
);
--> statement-breakpoint
CREATE TABLE "subsidy_screened" (
	"round_id" uuid NOT NULL,
	"credit_code" text NOT NULL,
	"enterprise_name" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"basis" text NOT NULL,
	CONSTRAINT "subsidy_screened_round_id_credit_code_pk" PRIMARY KEY("round_id","credit_code")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "pay_working_days" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "pay_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "pay_by_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "payment" jsonb;--> statement-breakpoint
ALTER TABLE "enterprise_members" ADD CONSTRAINT "enterprise_members_credit_code_enterprises_credit_code_fk" FOREIGN KEY ("credit_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_members" ADD CONSTRAINT "enterprise_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_members" ADD CONSTRAINT "enterprise_members_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_confirmations" ADD CONSTRAINT "subsidy_confirmations_round_id_subsidy_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."subsidy_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_confirmations" ADD CONSTRAINT "subsidy_confirmations_credit_code_enterprises_credit_code_fk" FOREIGN KEY ("credit_code") REFERENCES "public"."enterprises"("credit_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_confirmations" ADD CONSTRAINT "subsidy_confirmations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_confirmations" ADD CONSTRAINT "subsidy_confirmations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_reminders" ADD CONSTRAINT "subsidy_reminders_round_id_subsidy_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."subsidy_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_reminders" ADD CONSTRAINT "subsidy_reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_screened" ADD CONSTRAINT "subsidy_screened_round_id_subsidy_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."subsidy_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_members_live_idx" ON "enterprise_members" USING btree ("credit_code","user_id") WHERE "enterprise_members"."status" in ('pending', 'active');--> statement-breakpoint
CREATE INDEX "enterprise_members_user_idx" ON "enterprise_members" USING btree ("user_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_confirmations_round_code_idx" ON "subsidy_confirmations" USING btree ("round_id","credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_confirmations_case_idx" ON "subsidy_confirmations" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "subsidy_screened_code_idx" ON "subsidy_screened" USING btree ("credit_code");