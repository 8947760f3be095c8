-- The sweeper finds what is live in a lane from the in-flight and paused indexes it already
-- has (lib/dispatch/sql/housekeeping.ts); this index cost every execution one more index
-- entry on its way to RUNNING, on the dispatch hot path (docs/dispatch.md, "Performance").
DROP INDEX IF EXISTS "execution_lane_live_idx";
