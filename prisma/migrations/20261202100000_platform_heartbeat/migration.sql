-- Leases are measured in time the platform could receive heartbeats, not in wall-clock time
-- (docs/leases.md). Every transaction that holds the dispatch lock calls
-- slotwise_platform_beat(), and every app instance's sweeper runs one twice a second, so
-- `beat_at` is the last moment the platform was seen processing. A gap in it longer than the
-- grace (2 s) is an outage or a stall: the database was unreachable, every instance was down,
-- or the dispatch lock was held by a frozen process. The first beat after such a gap moves
-- every running lease forward by the part of the gap its worker could not have reported in,
-- and until then slotwise_lease_now() stands still at the start of the gap, so nothing
-- expires, completes too late or is refused for time nobody could have heartbeated in.
CREATE TABLE "platform_heartbeat" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "beat_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),

    CONSTRAINT "platform_heartbeat_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "platform_heartbeat_single_row" CHECK ("id" = 1)
);

INSERT INTO "platform_heartbeat" ("id") VALUES (1);

-- The time leases are compared with: now, or the end of the grace after the last beat when
-- the platform has not beaten since (a stall in progress, or one not caught up yet).
CREATE FUNCTION "slotwise_lease_now"() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT LEAST(now(), "beat_at" + interval '2 seconds') FROM "platform_heartbeat" WHERE "id" = 1
$$;

-- Called under the dispatch lock (lib/scheduler/sql/tx.ts DISPATCH_BEGIN), so beats never race.
-- clock_timestamp(): the transaction's now() was taken before it waited for the lock.
CREATE FUNCTION "slotwise_platform_beat"() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  last timestamptz;
  at timestamptz := clock_timestamp();
  stall_from timestamptz;
BEGIN
  SELECT "beat_at" INTO last FROM "platform_heartbeat" WHERE "id" = 1;
  -- A beat a quarter of a second ago is recent enough: most dispatch transactions write nothing here.
  IF last >= at - interval '250 milliseconds' THEN
    RETURN;
  END IF;
  stall_from := last + interval '2 seconds';
  IF stall_from < at THEN
    -- Each lease gets back the time from the stall's start (or its own last heartbeat, if one
    -- got through during the stall) until now. Rows another transaction holds are skipped:
    -- that one is completing or ending them.
    UPDATE "execution" e
       SET "lease_expires_at" = e."lease_expires_at" + (at - GREATEST(stall_from, e."heartbeat_at"))
      FROM (SELECT "id" FROM "execution"
             WHERE "state" = 'RUNNING' AND GREATEST(stall_from, "heartbeat_at") < at
             FOR UPDATE SKIP LOCKED) r
     WHERE e."id" = r."id";
  END IF;
  UPDATE "platform_heartbeat" SET "beat_at" = at WHERE "id" = 1;
END
$$;
