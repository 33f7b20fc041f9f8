-- AlterTable
ALTER TABLE "conversation" ADD COLUMN "address" TEXT;

-- CreateTable
CREATE TABLE "app_user" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "login" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL,
    "last_login_at" DATETIME
);

-- CreateTable
CREATE TABLE "staff_session" (
    "token_hash" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "csrf" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL,
    CONSTRAINT "staff_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversation_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "request_id" TEXT,
    "status" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "card" TEXT NOT NULL,
    "claimed_by" TEXT,
    "claimed_by_name" TEXT,
    "outcome" TEXT,
    "created_at" DATETIME NOT NULL,
    "claimed_at" DATETIME,
    "closed_at" DATETIME,
    "last_activity_at" DATETIME NOT NULL,
    "announced_at" DATETIME NOT NULL,
    "last_reply_at" DATETIME,
    "flagged_at" DATETIME,
    "telegram_thread_id" INTEGER,
    CONSTRAINT "ticket_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ticket_message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticket_id" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "by" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ticket_message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ticket_link" (
    "chat_message" TEXT NOT NULL PRIMARY KEY,
    "ticket_id" INTEGER NOT NULL,
    CONSTRAINT "ticket_link_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "app_user_login_key" ON "app_user"("login");

-- CreateIndex
CREATE INDEX "staff_session_user_id_idx" ON "staff_session"("user_id");

-- CreateIndex
CREATE INDEX "staff_session_expires_at_idx" ON "staff_session"("expires_at");

-- CreateIndex
CREATE INDEX "ticket_status_urgent_created_at_idx" ON "ticket"("status", "urgent", "created_at");

-- CreateIndex
CREATE INDEX "ticket_conversation_id_idx" ON "ticket"("conversation_id");

-- CreateIndex
CREATE INDEX "ticket_last_activity_at_idx" ON "ticket"("last_activity_at");

-- CreateIndex
CREATE INDEX "ticket_message_ticket_id_id_idx" ON "ticket_message"("ticket_id", "id");

-- CreateIndex
CREATE INDEX "ticket_link_ticket_id_idx" ON "ticket_link"("ticket_id");

