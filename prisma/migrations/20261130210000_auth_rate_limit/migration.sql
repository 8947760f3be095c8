-- better-auth's sign-in rate limits, kept in the database rather than in each process's
-- memory: `npm start` runs several app processes, and deployments several instances, and a
-- limit counted per process would multiply by their number.
CREATE TABLE "rate_limit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "last_request" BIGINT NOT NULL,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "rate_limit_key_key" ON "rate_limit"("key");
