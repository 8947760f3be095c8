import pg from "pg";

// BIGINT columns (sequence ids) fit comfortably in a JS number for this system's lifetime;
// returning numbers keeps JSON replies plain and lets ids from SQL and from JSON compare equal.
// Imported by everything that runs SQL through `pg` (the app's pool and the scheduler), so
// scripts and benchmarks that bring their own pool parse the same way.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
