-- CreateTable
CREATE TABLE "send_failure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "messages" INTEGER NOT NULL,
    "conversation_id" TEXT,
    CONSTRAINT "send_failure_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "send_failure_at_idx" ON "send_failure"("at");

