-- CreateTable
CREATE TABLE "send_failure" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "messages" INTEGER NOT NULL,
    "conversation_id" TEXT,

    CONSTRAINT "send_failure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "send_failure_at_idx" ON "send_failure"("at");

-- AddForeignKey
ALTER TABLE "send_failure" ADD CONSTRAINT "send_failure_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

