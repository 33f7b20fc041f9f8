-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "conversation" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "user_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "open_request" BOOLEAN NOT NULL DEFAULT false,
    "outbox" TEXT,
    "address" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request" (
    "id" TEXT NOT NULL,
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
    "handoff_outcome" TEXT,

    CONSTRAINT "request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_category" (
    "request_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "request_category_pkey" PRIMARY KEY ("request_id","category")
);

-- CreateTable
CREATE TABLE "request_referral" (
    "request_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "request_referral_pkey" PRIMARY KEY ("request_id","rank")
);

-- CreateTable
CREATE TABLE "organisation" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "website" TEXT,
    "email" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "location" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "commune" TEXT NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lon" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service" (
    "id" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "cost" TEXT NOT NULL,
    "last_verified" TEXT,
    "verified_by" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_category" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,

    CONSTRAINT "service_category_pkey" PRIMARY KEY ("service_id","category")
);

-- CreateTable
CREATE TABLE "service_population" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "population" TEXT NOT NULL,

    CONSTRAINT "service_population_pkey" PRIMARY KEY ("service_id","population")
);

-- CreateTable
CREATE TABLE "service_language" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "language" TEXT NOT NULL,

    CONSTRAINT "service_language_pkey" PRIMARY KEY ("service_id","language")
);

-- CreateTable
CREATE TABLE "service_at_location" (
    "position" INTEGER NOT NULL,
    "service_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "phones" TEXT NOT NULL,
    "hours" TEXT NOT NULL,
    "exceptions" TEXT NOT NULL,

    CONSTRAINT "service_at_location_pkey" PRIMARY KEY ("service_id","location_id")
);

-- CreateTable
CREATE TABLE "meta" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "meta_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "processed_update" (
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "processed_update_pkey" PRIMARY KEY ("channel","key")
);

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL,
    "window_start" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "noticed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "pending_inbound" (
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pending_inbound_pkey" PRIMARY KEY ("channel","key")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" TEXT NOT NULL,
    "login" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL,
    "last_login_at" TIMESTAMP(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_session" (
    "token_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "csrf" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "staff_session_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "ticket" (
    "id" SERIAL NOT NULL,
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
    "created_at" TIMESTAMP(3) NOT NULL,
    "claimed_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "last_activity_at" TIMESTAMP(3) NOT NULL,
    "announced_at" TIMESTAMP(3) NOT NULL,
    "last_reply_at" TIMESTAMP(3),
    "flagged_at" TIMESTAMP(3),
    "telegram_thread_id" INTEGER,

    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_message" (
    "id" SERIAL NOT NULL,
    "ticket_id" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "by" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ticket_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_link" (
    "chat_message" TEXT NOT NULL,
    "ticket_id" INTEGER NOT NULL,

    CONSTRAINT "ticket_link_pkey" PRIMARY KEY ("chat_message")
);

-- CreateTable
CREATE TABLE "person_month" (
    "month" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "person_key" TEXT NOT NULL,

    CONSTRAINT "person_month_pkey" PRIMARY KEY ("month","channel","person_key")
);

-- CreateTable
CREATE TABLE "directory_audit" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "changes" TEXT NOT NULL,

    CONSTRAINT "directory_audit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "followup" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversation_id" TEXT,
    "state" TEXT NOT NULL,
    "due_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "answer" TEXT,
    "reason" TEXT,
    "days_to_answer" INTEGER,

    CONSTRAINT "followup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "until_ms" BIGINT NOT NULL,

    CONSTRAINT "job_lease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "conversation_updated_at_idx" ON "conversation"("updated_at");

-- CreateIndex
CREATE INDEX "conversation_open_request_updated_at_idx" ON "conversation"("open_request", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_channel_user_hash_key" ON "conversation"("channel", "user_hash");

-- CreateIndex
CREATE INDEX "request_date_region_sex_id_idx" ON "request"("date", "region", "sex", "id");

-- CreateIndex
CREATE INDEX "request_region_date_sex_id_idx" ON "request"("region", "date", "sex", "id");

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

-- CreateIndex
CREATE INDEX "processed_update_seen_at_idx" ON "processed_update"("seen_at");

-- CreateIndex
CREATE INDEX "rate_limit_window_start_idx" ON "rate_limit"("window_start");

-- CreateIndex
CREATE INDEX "pending_inbound_received_at_idx" ON "pending_inbound"("received_at");

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

-- CreateIndex
CREATE INDEX "directory_audit_entity_entity_id_at_idx" ON "directory_audit"("entity", "entity_id", "at");

-- CreateIndex
CREATE INDEX "directory_audit_at_idx" ON "directory_audit"("at");

-- CreateIndex
CREATE INDEX "followup_state_due_at_idx" ON "followup"("state", "due_at");

-- CreateIndex
CREATE INDEX "followup_conversation_id_idx" ON "followup"("conversation_id");

-- CreateIndex
CREATE INDEX "followup_request_id_idx" ON "followup"("request_id");

-- CreateIndex
CREATE INDEX "followup_service_id_idx" ON "followup"("service_id");

-- AddForeignKey
ALTER TABLE "request_category" ADD CONSTRAINT "request_category_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_referral" ADD CONSTRAINT "request_referral_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_category" ADD CONSTRAINT "service_category_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_population" ADD CONSTRAINT "service_population_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_language" ADD CONSTRAINT "service_language_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_at_location" ADD CONSTRAINT "service_at_location_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_at_location" ADD CONSTRAINT "service_at_location_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_message" ADD CONSTRAINT "ticket_message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_link" ADD CONSTRAINT "ticket_link_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "followup" ADD CONSTRAINT "followup_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "followup" ADD CONSTRAINT "followup_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

