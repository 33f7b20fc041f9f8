import type { Channel } from "../codes.js";
import type { RequestRecord } from "../engine/messages.js";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Writes one request to the anonymised log: its codes, its ranked categories and the services it was referred to.
 * Called inside the transaction that saves the conversation, so the two never disagree.
 */
export async function writeRequest(tx: Prisma.TransactionClient, channel: Channel, record: RequestRecord): Promise<void> {
  await tx.request.create({
    data: {
      id: record.id,
      date: record.date,
      channel,
      language: record.language,
      region: record.region,
      commune: record.commune,
      urgent: record.urgent,
      sex: record.sex,
      ageBand: record.ageBand,
      status: record.status,
      outcome: record.outcome,
      categories: { create: record.categories.map((category, i) => ({ category, rank: i + 1 })) },
      referrals: { create: record.referrals.map((serviceId, i) => ({ serviceId, rank: i + 1 })) },
    },
  });
}
