import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { StaffUser } from "./users.js";

/** A signed-in staff member stays signed in this long without activity. */
export const SESSION_HOURS = 12;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Staff sessions in the database (any worker can serve any request): the cookie carries a random token, the table
 * only its hash, with the CSRF token every form and API call of that session must echo.
 */
export class SessionStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(userId: string, now: Date): Promise<{ token: string; csrf: string }> {
    const token = randomBytes(32).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    await this.prisma.staffSession.create({ data: { tokenHash: digest(token), userId, csrf, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000) } });
    return { token, csrf };
  }

  /** The user and CSRF token of a live session; sliding expiry. Null for an unknown, expired or disabled one. */
  async find(token: string, now: Date): Promise<{ user: StaffUser; csrf: string } | null> {
    const row = await this.prisma.staffSession.findUnique({ where: { tokenHash: digest(token) }, include: { user: true } });
    if (!row || row.expiresAt <= now || row.user.disabled) return null;
    if (row.expiresAt.getTime() - now.getTime() < (SESSION_HOURS - 1) * 3_600_000) {
      await this.prisma.staffSession.update({ where: { tokenHash: row.tokenHash }, data: { expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000) } });
    }
    const u = row.user;
    return { user: { id: u.id, login: u.login, displayName: u.displayName, role: u.role as StaffUser["role"], disabled: u.disabled, lastLoginAt: u.lastLoginAt }, csrf: row.csrf };
  }

  async delete(token: string): Promise<void> {
    await this.prisma.staffSession.deleteMany({ where: { tokenHash: digest(token) } });
  }

  async purgeExpired(now: Date): Promise<number> {
    return (await this.prisma.staffSession.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }
}
