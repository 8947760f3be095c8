-- Alerts on queue age and stuck runs (docs/operations.md, "Alerts"): how long a queue's oldest
-- startable execution may wait, and an execution run, before an alert fires. Platform-wide
-- defaults (null: that rule is off), and an organization's own values (null: the platform's).
-- Bounded like the API's rule (10 s to 7 days, in ms), so a value written around the API
-- cannot make every execution alert or none.
ALTER TABLE "platform_settings" ADD COLUMN "alert_queue_age_ms" INTEGER DEFAULT 600000,
    ADD COLUMN "alert_stuck_run_ms" INTEGER DEFAULT 3600000,
    ADD CONSTRAINT "platform_settings_alert_queue_age_ms_check" CHECK ("alert_queue_age_ms" BETWEEN 10000 AND 604800000),
    ADD CONSTRAINT "platform_settings_alert_stuck_run_ms_check" CHECK ("alert_stuck_run_ms" BETWEEN 10000 AND 604800000);

ALTER TABLE "organization" ADD COLUMN "alert_queue_age_ms" INTEGER,
    ADD COLUMN "alert_stuck_run_ms" INTEGER,
    ADD CONSTRAINT "organization_alert_queue_age_ms_check" CHECK ("alert_queue_age_ms" BETWEEN 10000 AND 604800000),
    ADD CONSTRAINT "organization_alert_stuck_run_ms_check" CHECK ("alert_stuck_run_ms" BETWEEN 10000 AND 604800000);
