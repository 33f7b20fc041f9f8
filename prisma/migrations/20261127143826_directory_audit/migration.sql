-- CreateTable
CREATE TABLE "directory_audit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "changes" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "directory_audit_entity_entity_id_at_idx" ON "directory_audit"("entity", "entity_id", "at");

-- CreateIndex
CREATE INDEX "directory_audit_at_idx" ON "directory_audit"("at");

