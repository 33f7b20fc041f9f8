-- DropIndex
DROP INDEX "request_date_region_idx";

-- CreateTable
CREATE TABLE "person_month" (
    "month" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "person_key" TEXT NOT NULL,

    PRIMARY KEY ("month", "channel", "person_key")
);

-- CreateIndex
CREATE INDEX "request_date_region_sex_id_idx" ON "request"("date", "region", "sex", "id");

-- CreateIndex
CREATE INDEX "request_region_date_sex_id_idx" ON "request"("region", "date", "sex", "id");

