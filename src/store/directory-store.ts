import { randomUUID } from "node:crypto";
import { Directory, type DirectoryService } from "../directory/directory.js";
import type { DirectoryFile, LocalizedText, LocationRecord, OrganisationRecord, ServiceRecord } from "../directory/schema.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { prepared, sqliteConnectionOf } from "./sqlite.js";
import { auditChanges, locationFromRow, organisationFromRow, serviceFromRow, type ServiceRow } from "./directory-rows.js";

const VERSION_KEY = "directory_version";
/** Actors of bulk loads; any other actor is a person editing on the admin page. */
export const IMPORT_ACTORS = ["import", "hsds-import"];

const toJson = (value: LocalizedText | undefined) => (value === undefined ? null : JSON.stringify(value));
type Tx = Prisma.TransactionClient;

export interface ImportReport {
  organisations: number;
  locations: number;
  services: number;
  /** Records that existed and were replaced by the files' version. */
  overwritten: string[];
  /** Of those, the ones an administrator had edited since they were last imported: their edits are gone. */
  adminEditsOverwritten: { record: string; by: string; at: Date }[];
}

export interface AuditEntry {
  at: Date;
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  changes: Record<string, [unknown, unknown]>;
}

const SERVICE_INCLUDE = {
  organisation: true,
  categories: { orderBy: { position: "asc" } },
  populations: { orderBy: { position: "asc" } },
  languages: { orderBy: { position: "asc" } },
  sites: { include: { location: true }, orderBy: { position: "asc" } },
} as const satisfies Prisma.ServiceInclude;

/**
 * The service directory in the database: the source of truth once imported. Every change is audited (who, when,
 * what) and bumps a version number, so that each process reloads its in-memory copy at its next referral.
 */
export class DirectoryStore {
  private cache: { version: string; directory: Directory } | null = null;

  constructor(private readonly prisma: PrismaClient) {}

  async isEmpty(): Promise<boolean> {
    return (await this.prisma.service.count()) === 0;
  }

  /**
   * Upserts the records of validated directory files by id, in one transaction: a failure writes nothing. Sites,
   * categories, populations and languages of an imported service are replaced by the file's. Says which records an
   * administrator had edited since their last import (those edits are overwritten).
   */
  async import(files: readonly { data: DirectoryFile }[], now: Date, actor = "import"): Promise<ImportReport> {
    const report: ImportReport = { organisations: 0, locations: 0, services: 0, overwritten: [], adminEditsOverwritten: [] };
    await this.prisma.$transaction(
      async (tx) => {
        // Looked up before writing: the import's own audit entry would hide the administrator's edit.
        const write = async (entity: string, id: string, writeRecord: () => Promise<boolean>) => {
          const edit = await this.lastAdminEdit(tx, entity, id);
          if (!(await writeRecord())) return;
          report.overwritten.push(`${entity} ${id}`);
          if (edit) report.adminEditsOverwritten.push({ record: `${entity} ${id}`, by: edit.actor, at: edit.at });
        };
        for (const { data } of files) {
          for (const o of data.organisations) {
            await write("organisation", o.id, () => this.writeOrganisation(tx, o, now, actor, "import"));
            report.organisations++;
          }
          for (const l of data.locations) {
            await write("location", l.id, () => this.writeLocation(tx, l, now, actor, "import"));
            report.locations++;
          }
        }
        for (const { data } of files) {
          for (const s of data.services) {
            await write("service", s.id, () => this.writeService(tx, s, now, actor, "import"));
            report.services++;
          }
        }
        await bumpVersion(tx, now);
      },
      { timeout: 120_000 },
    );
    return report;
  }

  /** An administrator's change to one service (all its fields and sites), audited. */
  async saveService(record: ServiceRecord, actor: string, now: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.writeService(tx, record, now, actor, "update");
      await bumpVersion(tx, now);
    });
  }

  async saveLocation(record: LocationRecord, actor: string, now: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.writeLocation(tx, record, now, actor, "update");
      await bumpVersion(tx, now);
    });
  }

  async saveOrganisation(record: OrganisationRecord, actor: string, now: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.writeOrganisation(tx, record, now, actor, "update");
      await bumpVersion(tx, now);
    });
  }

  /** Services are never deleted (the request log refers to them): they are turned off. */
  async setActive(serviceId: string, active: boolean, actor: string, now: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.service.findUnique({ where: { id: serviceId }, select: { active: true } });
      if (!before) return false;
      if (before.active === active) return true;
      await tx.service.update({ where: { id: serviceId }, data: { active, updatedAt: now } });
      await audit(tx, { at: now, actor, entity: "service", entityId: serviceId, action: active ? "activate" : "deactivate", changes: { active: [before.active, active] } });
      await bumpVersion(tx, now);
      return true;
    });
  }

  /** Someone checked the entry with the service itself today. */
  async markVerified(serviceId: string, by: string, now: Date, date: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.service.findUnique({ where: { id: serviceId }, select: { lastVerified: true, verifiedBy: true } });
      if (!before) return false;
      await tx.service.update({ where: { id: serviceId }, data: { lastVerified: date, verifiedBy: by, updatedAt: now } });
      await audit(tx, { at: now, actor: by, entity: "service", entityId: serviceId, action: "verify", changes: { last_verified: [before.lastVerified, date], verified_by: [before.verifiedBy, by] } });
      await bumpVersion(tx, now);
      return true;
    });
  }

  async auditOf(entity: string, entityId: string): Promise<AuditEntry[]> {
    const rows = await this.prisma.directoryAudit.findMany({ where: { entity, entityId }, orderBy: { id: "desc" }, take: 50 });
    return rows.map((r) => ({ at: r.at, actor: r.actor, entity: r.entity, entityId: r.entityId, action: r.action, changes: JSON.parse(r.changes) as AuditEntry["changes"] }));
  }

  /** The directory as referrals read it, reloaded only when its version changed since the last call. */
  async current(): Promise<Directory> {
    const version = (await this.version()) ?? "0";
    if (this.cache?.version === version) return this.cache.directory;
    const directory = await this.load();
    this.cache = { version, directory };
    return directory;
  }

  /** Read at every message: through the driver on SQLite (a few µs), a raw query on PostgreSQL (no query planning). */
  private async version(): Promise<string | undefined> {
    const sqlite = sqliteConnectionOf(this.prisma);
    if (sqlite) return (prepared(sqlite, "SELECT value FROM meta WHERE key = ?").get(VERSION_KEY) as { value: string } | undefined)?.value;
    return (await this.prisma.$queryRaw<{ value: string }[]>`SELECT value FROM meta WHERE key = ${VERSION_KEY}`)[0]?.value;
  }

  async load(): Promise<Directory> {
    const rows = await this.prisma.service.findMany({ include: SERVICE_INCLUDE, orderBy: { id: "asc" } });
    return new Directory(rows.map((row) => toDirectoryService(row)));
  }

  /** The whole directory as one data file (for `dalil export` and HSDS export): what the database holds now. */
  async exportFile(): Promise<DirectoryFile> {
    const [organisations, locations, services] = await Promise.all([
      this.prisma.organisation.findMany({ orderBy: { id: "asc" } }),
      this.prisma.location.findMany({ orderBy: { id: "asc" } }),
      this.prisma.service.findMany({ include: SERVICE_INCLUDE, orderBy: { id: "asc" } }),
    ]);
    return { sample: false, organisations: organisations.map(organisationFromRow), locations: locations.map(locationFromRow), services: services.map(serviceFromRow) };
  }

  private async lastAdminEdit(tx: Tx, entity: string, id: string): Promise<{ actor: string; at: Date } | null> {
    const lastImport = await tx.directoryAudit.findFirst({ where: { entity, entityId: id, actor: { in: IMPORT_ACTORS } }, orderBy: { id: "desc" }, select: { id: true } });
    const edit = await tx.directoryAudit.findFirst({ where: { entity, entityId: id, actor: { notIn: IMPORT_ACTORS }, id: { gt: lastImport?.id ?? 0 } }, orderBy: { id: "desc" } });
    return edit ? { actor: edit.actor, at: edit.at } : null;
  }

  /** Upserts an organisation; true when it existed. */
  private async writeOrganisation(tx: Tx, o: OrganisationRecord, now: Date, actor: string, action: string): Promise<boolean> {
    const before = await tx.organisation.findUnique({ where: { id: o.id } });
    const fields = { name: o.name, kind: o.kind, description: toJson(o.description), website: o.website ?? null, email: o.email ?? null, updatedAt: now };
    await tx.organisation.upsert({ where: { id: o.id }, create: { id: o.id, ...fields }, update: fields });
    await audit(tx, { at: now, actor, entity: "organisation", entityId: o.id, action: before ? action : "create", changes: auditChanges(before ? organisationFromRow(before) : null, o) });
    return before !== null;
  }

  private async writeLocation(tx: Tx, l: LocationRecord, now: Date, actor: string, action: string): Promise<boolean> {
    const before = await tx.location.findUnique({ where: { id: l.id } });
    const fields = { name: JSON.stringify(l.name), address: toJson(l.address), commune: l.commune, lat: l.lat, lon: l.lon, updatedAt: now };
    await tx.location.upsert({ where: { id: l.id }, create: { id: l.id, ...fields }, update: fields });
    await audit(tx, { at: now, actor, entity: "location", entityId: l.id, action: before ? action : "create", changes: auditChanges(before ? locationFromRow(before) : null, l) });
    return before !== null;
  }

  private async writeService(tx: Tx, s: ServiceRecord, now: Date, actor: string, action: string): Promise<boolean> {
    const existing = await tx.service.findUnique({ where: { id: s.id }, include: SERVICE_INCLUDE });
    const fields = {
      organisationId: s.organisation,
      name: JSON.stringify(s.name),
      description: toJson(s.description),
      cost: s.cost,
      lastVerified: s.last_verified,
      verifiedBy: s.verified_by,
      active: s.active,
      updatedAt: now,
    };
    await tx.service.upsert({ where: { id: s.id }, create: { id: s.id, ...fields }, update: fields });
    await tx.serviceCategory.deleteMany({ where: { serviceId: s.id } });
    await tx.servicePopulation.deleteMany({ where: { serviceId: s.id } });
    await tx.serviceLanguage.deleteMany({ where: { serviceId: s.id } });
    await tx.serviceAtLocation.deleteMany({ where: { serviceId: s.id } });
    await tx.serviceCategory.createMany({ data: s.categories.map((category, position) => ({ serviceId: s.id, category, position })) });
    await tx.servicePopulation.createMany({ data: s.populations.map((population, position) => ({ serviceId: s.id, population, position })) });
    await tx.serviceLanguage.createMany({ data: s.languages.map((language, position) => ({ serviceId: s.id, language, position })) });
    await tx.serviceAtLocation.createMany({
      data: s.at.map((a, position) => ({ serviceId: s.id, locationId: a.location, position, phones: JSON.stringify(a.phones), hours: JSON.stringify(a.hours), exceptions: JSON.stringify(a.exceptions) })),
    });
    await audit(tx, { at: now, actor, entity: "service", entityId: s.id, action: existing ? action : "create", changes: auditChanges(existing ? serviceFromRow(existing) : null, s) });
    return existing !== null;
  }
}

function toDirectoryService(row: ServiceRow): DirectoryService {
  const record = serviceFromRow(row);
  const organisation = organisationFromRow(row.organisation);
  return {
    id: record.id,
    organisation,
    name: record.name,
    ...(record.description !== undefined ? { description: record.description } : {}),
    categories: record.categories,
    populations: record.populations,
    languages: record.languages,
    cost: record.cost,
    lastVerified: record.last_verified,
    verifiedBy: record.verified_by,
    active: record.active,
    sites: row.sites.map((site, i) => ({ location: locationFromRow(site.location), phones: record.at[i]!.phones, hours: record.at[i]!.hours, exceptions: record.at[i]!.exceptions })),
  };
}

async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  if (Object.keys(entry.changes).length === 0 && entry.action !== "create") return;
  await tx.directoryAudit.create({ data: { at: entry.at, actor: entry.actor, entity: entry.entity, entityId: entry.entityId, action: entry.action, changes: JSON.stringify(entry.changes) } });
}

async function bumpVersion(tx: Pick<PrismaClient, "meta">, now: Date): Promise<void> {
  const value = `${now.getTime()}-${randomUUID()}`;
  await tx.meta.upsert({ where: { key: VERSION_KEY }, create: { key: VERSION_KEY, value }, update: { value } });
}
