import type { Channel } from "../codes.js";
import type { PrismaClient } from "./database.js";

export type SendPurpose = "reply" | "notice" | "relay" | "followup" | "queued";

export interface SendFailureSummary {
  channel: string;
  purpose: string;
  code: string;
  failures: number;
  messages: number;
  last: Date;
}

/** Messages that could not be delivered after the channel's own retries, kept as codes for the operator. */
export class SendFailureStore {
  constructor(private readonly prisma: PrismaClient) {}

  async record(failure: { at: Date; channel: Channel; purpose: SendPurpose; code: string; messages: number; conversationId: string | null }): Promise<void> {
    await this.prisma.sendFailure.create({ data: { ...failure, code: failure.code.slice(0, 60) } });
  }

  /** Failures since `since`, grouped by channel, purpose and code, most recent first. */
  async summary(since: Date): Promise<SendFailureSummary[]> {
    const groups = await this.prisma.sendFailure.groupBy({ by: ["channel", "purpose", "code"], where: { at: { gte: since } }, _count: { _all: true }, _sum: { messages: true }, _max: { at: true } });
    return groups
      .map((g) => ({ channel: g.channel, purpose: g.purpose, code: g.code, failures: g._count._all, messages: g._sum.messages ?? 0, last: g._max.at! }))
      .sort((a, b) => b.last.getTime() - a.last.getTime());
  }
}

/** A short, stable code for a send error: the platform's status or the error's own code, never its message. */
export function sendErrorCode(error: unknown): string {
  const e = error as { error_code?: unknown; code?: unknown; status?: unknown; name?: unknown };
  return String(e?.error_code ?? e?.status ?? e?.code ?? e?.name ?? "unknown");
}
