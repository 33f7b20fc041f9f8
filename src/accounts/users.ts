import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";

export const ROLES = ["admin", "staff", "facilitator"] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  lastLoginAt: Date | null;
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** A refusal an administrator can act on: which field, and why. */
export class AccountError extends Error {}

/** Staff accounts. Passwords are kept only as scrypt hashes. */
export class UserStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: { login: string; role: Role; displayName?: string; password: string }, now: Date): Promise<StaffUser> {
    if (!LOGIN.test(input.login)) throw new AccountError(`login: expected 2–40 characters of a-z 0-9 . _ - (received "${input.login}")`);
    const problem = passwordProblem(input.password);
    if (problem) throw new AccountError(`password: ${problem}`);
    if (await this.prisma.user.findUnique({ where: { login: input.login } })) throw new AccountError(`login: "${input.login}" is already taken`);
    const row = await this.prisma.user.create({
      data: { id: randomUUID(), login: input.login, displayName: input.displayName?.trim() || input.login, role: input.role, password: await hashPassword(input.password), createdAt: now },
    });
    return toUser(row);
  }

  async list(): Promise<StaffUser[]> {
    return (await this.prisma.user.findMany({ orderBy: { login: "asc" } })).map(toUser);
  }

  async byId(id: string): Promise<StaffUser | null> {
    const row = await this.prisma.user.findUnique({ where: { id } });
    return row ? toUser(row) : null;
  }

  async byLogin(login: string): Promise<StaffUser | null> {
    const row = await this.prisma.user.findUnique({ where: { login } });
    return row ? toUser(row) : null;
  }

  /** The user for a login and password, or null (unknown login, wrong password, or a disabled account). */
  async verify(login: string, password: string, now: Date): Promise<StaffUser | null> {
    const row = await this.prisma.user.findUnique({ where: { login: login.trim().toLowerCase() } });
    // A missing account costs the same scrypt as a wrong password, so timing does not tell which logins exist.
    const ok = await verifyPassword(password, row?.password ?? "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AA==");
    if (!row || !ok || row.disabled) return null;
    await this.prisma.user.update({ where: { id: row.id }, data: { lastLoginAt: now } });
    return toUser(row);
  }

  async setDisabled(login: string, disabled: boolean): Promise<void> {
    const { count } = await this.prisma.user.updateMany({ where: { login }, data: { disabled } });
    if (count === 0) throw new AccountError(`login: no account "${login}"`);
    if (disabled) await this.prisma.staffSession.deleteMany({ where: { user: { login } } });
  }

  async setPassword(login: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new AccountError(`password: ${problem}`);
    const { count } = await this.prisma.user.updateMany({ where: { login }, data: { password: await hashPassword(password) } });
    if (count === 0) throw new AccountError(`login: no account "${login}"`);
    await this.prisma.staffSession.deleteMany({ where: { user: { login } } });
  }
}

function toUser(row: { id: string; login: string; displayName: string; role: string; disabled: boolean; lastLoginAt: Date | null }): StaffUser {
  return { id: row.id, login: row.login, displayName: row.displayName, role: row.role as Role, disabled: row.disabled, lastLoginAt: row.lastLoginAt };
}
