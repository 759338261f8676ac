CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"level" integer NOT NULL,
	"indicators" jsonb NOT NULL,
	"tags" jsonb NOT NULL,
	"comment_sealed" text,
	"agent_id" uuid,
	"request_hash" text NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"reported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluations_level_check" CHECK ("evaluations"."level" between 1 and 5),
	CONSTRAINT "evaluations_stage_check" CHECK ("evaluations"."stage" in ('visit', 'completion', 'delivery'))
);
--> statement-breakpoint
CREATE TABLE "rectification_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"due_date" text NOT NULL,
	"due_provisional" boolean NOT NULL,
	"assignee_id" uuid,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone,
	"callback_by" uuid,
	"callback_at" timestamp with time zone,
	"callback_outcome" text,
	"callback_note" text,
	"reply" text,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"appeal_reason" text,
	"appeal_by" uuid,
	"appeal_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rectification_tickets_evaluation_id_unique" UNIQUE("evaluation_id"),
	CONSTRAINT "rectification_tickets_closed_check" CHECK ("rectification_tickets"."status" <> 'closed' or ("rectification_tickets"."callback_at" is not null and "rectification_tickets"."reply" is not null))
);
--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_callback_by_users_id_fk" FOREIGN KEY ("callback_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_tickets" ADD CONSTRAINT "rectification_tickets_appeal_by_users_id_fk" FOREIGN KEY ("appeal_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_case_stage_idx" ON "evaluations" USING btree ("case_id","stage");--> statement-breakpoint
CREATE INDEX "evaluations_created_idx" ON "evaluations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "rectification_tickets_status_idx" ON "rectification_tickets" USING btree ("status","due_at");