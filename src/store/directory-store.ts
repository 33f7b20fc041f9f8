import { randomUUID } from "node:crypto";
import { Directory, type DirectoryService, type ServiceSite } from "../directory/directory.js";
import type { DirectoryFile, HoursException, LocalizedText, WeeklyHours } from "../directory/schema.js";
import type { Category, Population } from "../codes.js";
import type { PrismaClient } from "../generated/prisma/client.js";

const VERSION_KEY = "directory_version";

const toJson = (value: LocalizedText | undefined) => (value === undefined ? null : JSON.stringify(value));
const fromJson = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export interface ImportReport {
  organisations: number;
  locations: number;
  services: number;
  /** Records that existed and were replaced by the files' version. */
  overwritten: string[];
}

/**
 * The service directory in the database: the source of truth once imported. Every change bumps a version number, so
 * that each process reloads its in-memory copy at its next referral.
 */
export class DirectoryStore {
  private cache: { version: string; directory: Directory } | null = null;

  constructor(private readonly prisma: PrismaClient) {}

  async isEmpty(): Promise<boolean> {
    return (await this.prisma.service.count()) === 0;
  }

  /**
   * Upserts the records of validated directory files by id, in one transaction: a failure writes nothing. Sites,
   * categories, populations and languages of an imported service are replaced by the file's.
   */
  async import(files: readonly { data: DirectoryFile }[], now: Date): Promise<ImportReport> {
    const report: ImportReport = { organisations: 0, locations: 0, services: 0, overwritten: [] };
    await this.prisma.$transaction(
      async (tx) => {
        for (const { data } of files) {
          for (const o of data.organisations) {
            const existed = await tx.organisation.findUnique({ where: { id: o.id }, select: { id: true } });
            if (existed) report.overwritten.push(`organisation ${o.id}`);
            const fields = { name: o.name, kind: o.kind, description: toJson(o.description), website: o.website ?? null, email: o.email ?? null, updatedAt: now };
            await tx.organisation.upsert({ where: { id: o.id }, create: { id: o.id, ...fields }, update: fields });
            report.organisations++;
          }
          for (const l of data.locations) {
            const existed = await tx.location.findUnique({ where: { id: l.id }, select: { id: true } });
            if (existed) report.overwritten.push(`location ${l.id}`);
            const fields = { name: JSON.stringify(l.name), address: toJson(l.address), commune: l.commune, lat: l.lat, lon: l.lon, updatedAt: now };
            await tx.location.upsert({ where: { id: l.id }, create: { id: l.id, ...fields }, update: fields });
            report.locations++;
          }
        }
        for (const { data } of files) {
          for (const s of data.services) {
            const existed = await tx.service.findUnique({ where: { id: s.id }, select: { id: true } });
            if (existed) report.overwritten.push(`service ${s.id}`);
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
            report.services++;
          }
        }
        await bumpVersion(tx, now);
      },
      { timeout: 60_000 },
    );
    return report;
  }

  /** The directory as referrals read it, reloaded only when its version changed since the last call. */
  async current(): Promise<Directory> {
    const version = (await this.prisma.meta.findUnique({ where: { key: VERSION_KEY } }))?.value ?? "0";
    if (this.cache?.version === version) return this.cache.directory;
    const directory = await this.load();
    this.cache = { version, directory };
    return directory;
  }

  async load(): Promise<Directory> {
    const rows = await this.prisma.service.findMany({
      include: {
        organisation: true,
        categories: { orderBy: { position: "asc" } },
        populations: { orderBy: { position: "asc" } },
        languages: { orderBy: { position: "asc" } },
        sites: { include: { location: true }, orderBy: { position: "asc" } },
      },
      orderBy: { id: "asc" },
    });
    const services: DirectoryService[] = rows.map((row) => ({
      id: row.id,
      organisation: {
        id: row.organisation.id,
        name: row.organisation.name,
        kind: row.organisation.kind as DirectoryService["organisation"]["kind"],
        ...(row.organisation.description !== null ? { description: fromJson<LocalizedText>(row.organisation.description)! } : {}),
        ...(row.organisation.website !== null ? { website: row.organisation.website } : {}),
        ...(row.organisation.email !== null ? { email: row.organisation.email } : {}),
      },
      name: JSON.parse(row.name) as LocalizedText,
      ...(row.description !== null ? { description: fromJson<LocalizedText>(row.description)! } : {}),
      categories: row.categories.map((c) => c.category as Category),
      populations: row.populations.map((p) => p.population as Population),
      languages: row.languages.map((l) => l.language),
      cost: row.cost as DirectoryService["cost"],
      lastVerified: row.lastVerified,
      verifiedBy: row.verifiedBy,
      active: row.active,
      sites: row.sites.map(
          (site): ServiceSite => ({
            location: {
              id: site.location.id,
              name: JSON.parse(site.location.name) as LocalizedText,
              ...(site.location.address !== null ? { address: fromJson<LocalizedText>(site.location.address)! } : {}),
              commune: site.location.commune,
              lat: site.location.lat,
              lon: site.location.lon,
            },
            phones: JSON.parse(site.phones) as string[],
            hours: JSON.parse(site.hours) as WeeklyHours,
            exceptions: JSON.parse(site.exceptions) as HoursException[],
          }),
      ),
    }));
    return new Directory(services);
  }
}

async function bumpVersion(tx: Pick<PrismaClient, "meta">, now: Date): Promise<void> {
  const value = `${now.getTime()}-${randomUUID()}`;
  await tx.meta.upsert({ where: { key: VERSION_KEY }, create: { key: VERSION_KEY, value }, update: { value } });
}
