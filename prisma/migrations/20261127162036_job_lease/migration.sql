-- CreateTable
CREATE TABLE "job_lease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "until_ms" BIGINT NOT NULL
);

