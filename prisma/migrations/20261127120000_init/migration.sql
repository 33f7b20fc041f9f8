-- CreateTable
CREATE TABLE "conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "user_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "open_request" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "request" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "date" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "region" TEXT,
    "commune" TEXT,
    "urgent" BOOLEAN NOT NULL,
    "sex" TEXT NOT NULL,
    "age_band" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "handoff_outcome" TEXT
);

-- CreateTable
CREATE TABLE "request_category" (
    "request_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    PRIMARY KEY ("request_id", "category"),
    CONSTRAINT "request_category_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "request_referral" (
    "request_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    PRIMARY KEY ("request_id", "rank"),
    CONSTRAINT "request_referral_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "organisation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "website" TEXT,
    "email" TEXT,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "location" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "commune" TEXT NOT NULL,
    "lat" REAL NOT NULL,
    "lon" REAL NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "service" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organisation_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "cost" TEXT NOT NULL,
    "last_verified" TEXT,
    "verified_by" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "service_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "service_category" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,

    PRIMARY KEY ("service_id", "category"),
    CONSTRAINT "service_category_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "service_population" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "population" TEXT NOT NULL,

    PRIMARY KEY ("service_id", "population"),
    CONSTRAINT "service_population_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "service_language" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "language" TEXT NOT NULL,

    PRIMARY KEY ("service_id", "language"),
    CONSTRAINT "service_language_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "service_at_location" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "phones" TEXT NOT NULL,
    "hours" TEXT NOT NULL,
    "exceptions" TEXT NOT NULL,

    PRIMARY KEY ("service_id", "location_id"),
    CONSTRAINT "service_at_location_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "service_at_location_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "meta" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "conversation_updated_at_idx" ON "conversation"("updated_at");

-- CreateIndex
CREATE INDEX "conversation_open_request_updated_at_idx" ON "conversation"("open_request", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_channel_user_hash_key" ON "conversation"("channel", "user_hash");

-- CreateIndex
CREATE INDEX "request_date_region_idx" ON "request"("date", "region");

-- CreateIndex
CREATE INDEX "request_region_commune_idx" ON "request"("region", "commune");

-- CreateIndex
CREATE INDEX "request_category_category_idx" ON "request_category"("category");

-- CreateIndex
CREATE INDEX "request_referral_service_id_idx" ON "request_referral"("service_id");

-- CreateIndex
CREATE INDEX "location_commune_idx" ON "location"("commune");

-- CreateIndex
CREATE INDEX "service_organisation_id_idx" ON "service"("organisation_id");

-- CreateIndex
CREATE INDEX "service_category_category_idx" ON "service_category"("category");

-- CreateIndex
CREATE INDEX "service_at_location_location_id_idx" ON "service_at_location"("location_id");

