-- CreateTable
CREATE TABLE "followup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "request_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversation_id" TEXT,
    "state" TEXT NOT NULL,
    "due_at" DATETIME,
    "sent_at" DATETIME,
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "answer" TEXT,
    "reason" TEXT,
    "days_to_answer" INTEGER,
    CONSTRAINT "followup_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "followup_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "followup_state_due_at_idx" ON "followup"("state", "due_at");

-- CreateIndex
CREATE INDEX "followup_conversation_id_idx" ON "followup"("conversation_id");

-- CreateIndex
CREATE INDEX "followup_request_id_idx" ON "followup"("request_id");

-- CreateIndex
CREATE INDEX "followup_service_id_idx" ON "followup"("service_id");

