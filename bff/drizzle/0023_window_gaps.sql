ALTER TABLE "result_mailings" DROP CONSTRAINT "result_mailings_ordered_by_check";--> statement-breakpoint
ALTER TABLE "window_appointments" DROP CONSTRAINT "window_appointments_status_check";--> statement-breakpoint
CREATE INDEX "window_appointments_booked_idx" ON "window_appointments" USING btree ("starts_at","ends_at") WHERE "window_appointments"."status" = 'booked';--> statement-breakpoint
ALTER TABLE "result_mailings" ADD CONSTRAINT "result_mailings_ordered_by_check" CHECK ("result_mailings"."ordered_by" in ('resident', 'centre', 'window'));--> statement-breakpoint
ALTER TABLE "window_appointments" ADD CONSTRAINT "window_appointments_status_check" CHECK ("window_appointments"."status" in ('booked', 'served', 'cancelled', 'no_show'));