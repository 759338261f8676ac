-- Hand-written data conversion: existing events get their kind from what they recorded before the column
-- existed (a reschedule was the note '改约', which the kind now carries; creation is the 'requested' event).
ALTER TABLE "booking_events" ADD COLUMN "kind" text;--> statement-breakpoint
UPDATE "booking_events" SET "kind" = CASE
  WHEN "note" = '改约' THEN 'rescheduled'
  WHEN "status" = 'requested' THEN 'created'
  ELSE 'status_changed'
END;--> statement-breakpoint
UPDATE "booking_events" SET "note" = NULL WHERE "kind" = 'rescheduled';--> statement-breakpoint
ALTER TABLE "booking_events" ALTER COLUMN "kind" SET NOT NULL;
