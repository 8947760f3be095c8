-- Rate windows are charged once per claim, not once per start (docs/dispatch.md, "Rate
-- windows"): a claim of ten starts wrote ten rows and twenty index entries, which cost the
-- mixed bench a fifth of its rate. A charge holds, per scope the claim started work in, how
-- many starts it made and when they leave that scope's window; `expires_at` is the latest of
-- them, for the sweep and for skipping charges that are over.
CREATE TABLE "rate_charge" (
    "id" BIGSERIAL NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "starts" INTEGER[] NOT NULL,
    -- Microseconds, like the history's times: a window rounded to milliseconds could end
    -- before a start's own window does.
    "expiries" TIMESTAMPTZ(6)[] NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_charge_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rate_charge_shape_check" CHECK (
      cardinality("scopes") > 0 AND cardinality("starts") = cardinality("scopes") AND cardinality("expiries") = cardinality("scopes"))
);
CREATE INDEX "rate_charge_expires_at_idx" ON "rate_charge"("expires_at");

-- The starts still inside their windows carry over, in the order they were made.
INSERT INTO "rate_charge" ("scopes", "starts", "expiries", "expires_at")
SELECT ARRAY["scope"], ARRAY[count(*)::int], ARRAY["expires_at"], "expires_at"
  FROM "rate_start" WHERE "expires_at" > now()
 GROUP BY "scope", "expires_at"
 ORDER BY min("id");

DROP TABLE "rate_start";
