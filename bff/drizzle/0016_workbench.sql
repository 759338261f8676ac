CREATE TABLE "work_item_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"assignee_id" uuid,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"source_kind" text NOT NULL,
	"title" text NOT NULL,
	"detail" text NOT NULL,
	"case_id" uuid,
	"booking_id" uuid,
	"ticket_id" uuid,
	"matter_name" text,
	"case_number" text,
	"booking_number" text,
	"waybill_no" text,
	"due_at" timestamp with time zone,
	"raised_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee_id" uuid,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_items_kind_check" CHECK ("work_items"."kind" in ('sla_breach', 'flagged_delivery', 'logistics_exception', 'dead_letter', 'stuck_case', 'ticket')),
	CONSTRAINT "work_items_status_check" CHECK ("work_items"."status" in ('open', 'acknowledged', 'closed')),
	CONSTRAINT "work_items_closed_check" CHECK ("work_items"."status" <> 'closed' or ("work_items"."closed_at" is not null and "work_items"."outcome" is not null))
);
--> statement-breakpoint
ALTER TABLE "work_item_events" ADD CONSTRAINT "work_item_events_item_id_work_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_events" ADD CONSTRAINT "work_item_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_events" ADD CONSTRAINT "work_item_events_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_ticket_id_rectification_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."rectification_tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_item_events_item_idx" ON "work_item_events" USING btree ("item_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_open_subject_idx" ON "work_items" USING btree ("subject_key") WHERE "work_items"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "work_items_subject_idx" ON "work_items" USING btree ("subject_key","closed_at");--> statement-breakpoint
CREATE INDEX "work_items_status_idx" ON "work_items" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "work_items_assignee_idx" ON "work_items" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE FUNCTION "work_item_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'work_item_events is append-only';
END
$$;--> statement-breakpoint
CREATE TRIGGER "work_item_events_append_only" BEFORE UPDATE OR DELETE ON "work_item_events" FOR EACH ROW EXECUTE FUNCTION "work_item_events_append_only"();
