-- CreateTable
CREATE TABLE "processed_update" (
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "seen_at" DATETIME NOT NULL,

    PRIMARY KEY ("channel", "key")
);

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "window_start" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "noticed" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "processed_update_seen_at_idx" ON "processed_update"("seen_at");

-- CreateIndex
CREATE INDEX "rate_limit_window_start_idx" ON "rate_limit"("window_start");

