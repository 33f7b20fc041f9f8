import type { Channel } from "../codes.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "./conversations.js";

export interface PendingRow {
  key: string;
  sealed: string;
  receivedAt: Date;
}

/** Messages stored on receipt for channels without redelivery, until handled. */
export class PendingInboundStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a received message; false when it is already waiting (received twice). */
  async add(channel: Channel, key: string, sealed: string, receivedAt: Date): Promise<boolean> {
    try {
      await this.prisma.pendingInbound.create({ data: { channel, key, sealed, receivedAt } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async remove(channel: Channel, key: string): Promise<void> {
    await this.prisma.pendingInbound.deleteMany({ where: { channel, key } });
  }

  /** Messages left waiting (a crash between receipt and handling), oldest first. */
  async waiting(channel: Channel): Promise<PendingRow[]> {
    return this.prisma.pendingInbound.findMany({ where: { channel }, orderBy: { receivedAt: "asc" }, select: { key: true, sealed: true, receivedAt: true } });
  }
}
