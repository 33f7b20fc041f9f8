-- AlterTable
ALTER TABLE "conversation" ADD COLUMN "outbox" TEXT;

