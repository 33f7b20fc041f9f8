-- CreateTable
CREATE TABLE "pending_inbound" (
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "received_at" DATETIME NOT NULL,

    PRIMARY KEY ("channel", "key")
);

-- CreateIndex
CREATE INDEX "pending_inbound_received_at_idx" ON "pending_inbound"("received_at");

