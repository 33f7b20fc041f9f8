import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { formatIssue, type ContentIssue } from "../../src/content/errors.js";
import { projectRoot } from "../../src/content/files.js";
import { joinDirectoryFiles, type DirectoryService } from "../../src/directory/directory.js";
import { toHsdsDatapackage, toHsdsJson, writeHsds } from "../../src/directory/hsds/export.js";
import { hsdsImportContext, readHsds, type HsdsImportResult } from "../../src/directory/hsds/import.js";
import { SPEC, TABLE_NAMES } from "../../src/directory/hsds/spec.js";
import { directoryFileSchema, type DirectoryFile } from "../../src/directory/schema.js";
import { openDatabase } from "../../src/store/database.js";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { realContent } from "../helpers/content.js";
import { tempDir } from "../helpers/store.js";
import { testDatabaseUrl } from "../helpers/postgres.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "hsds");
const context = () => hsdsImportContext(realContent().content);
const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function temp(): string {
  const d = tempDir("dalil-hsds-");
  dirs.push(d);
  return d.path;
}

/** `spec/examples/csv/locations.csv:2 › location "3a19…" › latitude`: where a problem is, without its message. */
function placeOf(issue: ContentIssue): string {
  const shown = formatIssue({ ...issue, message: "" }).slice(0, -2);
  return shown.replace(`${relative(process.cwd(), FIXTURES)}/`, "");
}

function issuesOf(result: HsdsImportResult): ContentIssue[] {
  if (!("issues" in result)) throw new Error("expected problems, the import succeeded");
  return result.issues;
}

function dataOf(result: HsdsImportResult): { data: DirectoryFile; notices: string[] } {
  if ("issues" in result) throw new Error(`expected data, got problems:\n${result.issues.map(formatIssue).join("\n")}`);
  expect(result.files).toHaveLength(1);
  return { data: result.files[0]!.data, notices: result.notices };
}

const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const sampleFiles = () => realContent().directoryFiles;
const merged = (files: readonly { data: DirectoryFile }[]) => ({
  organisations: byId(files.flatMap((f) => f.data.organisations)),
  locations: byId(files.flatMap((f) => f.data.locations)),
  services: byId(files.flatMap((f) => f.data.services)),
});
function richFile(): DirectoryFile {
  return directoryFileSchema.parse(parseYaml(readFileSync(join(FIXTURES, "rich-directory.yaml"), "utf8")));
}

describe("HSDS import of the specification's examples", () => {
  const SCHEDULE = 'schedule "48102e86-bb50-41c4-8f1e-e269368c41d1"';
  const unsupported = (prefix: string) => ["dtstart", "until", "count", "byweekno", "bymonthday", "byyearday", "timezone"].map((f) => `${prefix}${SCHEDULE} › ${f}`);

  it("reports every problem of the JSON example with its record and field, and gives no data", () => {
    const issues = issuesOf(readHsds(join(FIXTURES, "spec/examples/service_full.json"), context()));
    const file = "spec/examples/service_full.json › ";
    expect(issues.map(placeOf).sort()).toEqual(
      [
        `${file}location "3a19ff88-4620-4d17-9830-ac1d859eb5d5" › latitude`,
        `${file}location "3a19ff88-4620-4d17-9830-ac1d859eb5d5" › longitude`,
        `${file}location "3a19ff88-4620-4d17-9830-ac1d859eb5d5" › external_identifier`,
        `${file}address "74706e55-df26-4b84-80fe-ecc30b5befb4" › country`,
        `${file}attribute "ae58cc39-8b70-4ab1-8aea-786882e5ac8e" › link_entity`,
        `${file}service "ac148810-d857-441c-9679-408f346de14b" › attributes`,
        `${file}service "ac148810-d857-441c-9679-408f346de14b" › fees_description`,
        `${file}language "2989d3ed-c547-48f8-8f9d-432d81c7892e" › code`,
        `${file}phone "1554f2e2-a373-45db-a3fa-9fc48a61c15e" › extension`,
        `${file}phone "1554f2e2-a373-45db-a3fa-9fc48a61c15e" › number`,
        ...unsupported(file),
      ].sort(),
    );
    const message = (field: string) => issues.find((i) => i.where?.startsWith("location") && i.path[0] === field)?.message;
    expect(message("latitude")).toMatch(/latitude 100 is not between -90 and 90/);
    expect(message("longitude")).toMatch(/Not in Morocco: longitude 101/);
  });

  it("reports every problem of the CSV example with its file, line, record and field", () => {
    const issues = issuesOf(readHsds(join(FIXTURES, "spec/examples/csv"), context()));
    const at = (file: string, record: string, fields: string[]) => fields.map((f) => `spec/examples/csv/${file}:2 › ${record} › ${f}`);
    expect(issues.map(placeOf).sort()).toEqual(
      [
        ...at("organizations.csv", 'organization "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"', ["parent_organization_id"]),
        ...at("locations.csv", 'location "3a19ff88-4620-4d17-9830-ac1d859eb5d5"', ["organization_id", "latitude", "longitude", "external_identifier"]),
        ...at("addresses.csv", 'address "74706e55-df26-4b84-80fe-ecc30b5befb4"', ["country"]),
        ...at("attributes.csv", 'attribute "ae58cc39-8b70-4ab1-8aea-786882e5ac8e"', ["link_entity", "link_id"]),
        ...at("taxonomy_terms.csv", 'taxonomy_term "3f7b145d-84af-42d7-8fae-eaca714b02b2"', ["taxonomy_id", "parent_id"]),
        ...at("services.csv", 'service "ac148810-d857-441c-9679-408f346de14b"', ["attributes", "fees_description"]),
        ...at("languages.csv", 'language "2989d3ed-c547-48f8-8f9d-432d81c7892e"', ["code"]),
        ...at("phones.csv", 'phone "1554f2e2-a373-45db-a3fa-9fc48a61c15e"', ["extension", "number"]),
        ...unsupported("spec/examples/csv/schedules.csv:2 › "),
      ].sort(),
    );
    expect(issues.find((i) => i.path[0] === "organization_id")?.message).toBe('Unknown reference: no organization has id "985e4a42-bd9f-4edc-911d-0243a4640aca"');
  });
});

describe("HSDS import of corrected examples", () => {
  const ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
  const LOC = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";
  const expected: DirectoryFile = {
    sample: false,
    organisations: [{ id: ORG, name: "Example Organization Inc.", kind: "other", description: "Example Org is a non-profit organization dedicated to providing services to qualified beneficiaries", website: "http://example.com", email: "email@example.com" }],
    locations: [{ id: LOC, name: "MyCity Civic Center", address: "1-30 Main Street, MyVillage, Inezgane", commune: "09.273.01.15", lat: 30.355, lon: -9.555 }],
    services: [
      {
        id: "ac148810-d857-441c-9679-408f346de14b",
        organisation: ORG,
        name: "Community Counselling",
        description: "Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances. ",
        categories: ["health"],
        populations: ["migrant"],
        languages: ["ar"],
        cost: "mixed",
        last_verified: "2005-01-01",
        verified_by: "email@example.com",
        active: true,
        at: [{ location: LOC, phones: ["+44 1234 234567"], hours: { thu: ["10:00-18:00"], fri: ["10:00-18:00"] }, exceptions: [{ from: "2026-07-30", to: "2026-07-30", label: "Fête du Trône", closed: true }] }],
      },
    ],
  };

  it("imports the JSON form into the expected Dalil records, valid for the directory", () => {
    const { data, notices } = dataOf(readHsds(join(FIXTURES, "corrected/service.json"), context()));
    expect(data).toEqual(expected);
    expect(notices).toEqual([]);
    expect(joinDirectoryFiles([{ file: "hsds", data: directoryFileSchema.parse(data) }]).problems).toEqual([]);
  });

  it("imports the CSV form to the same records, finding the commune from the coordinates and matching ids in capitals", () => {
    const { data, notices } = dataOf(readHsds(join(FIXTURES, "corrected/csv"), context()));
    expect(data).toEqual(expected);
    expect(notices).toEqual([
      expect.stringMatching(/locations\.csv:2 › location "3a19ff88-.*": no HCP commune code; commune 09\.273\.01\.15 \(Inezgane\) taken from its coordinates/),
      expect.stringMatching(/1 HSDS id was written in capitals and lowercased for Dalil \("AC148810-D857-441C-9679-408F346DE14B"\)/),
    ]);
  });

  it("reports duplicate ids, unknown references and points outside Morocco, all at once", () => {
    const folder = temp();
    cpSync(join(FIXTURES, "corrected/csv"), folder, { recursive: true });
    const append = (file: string, line: string) => writeFileSync(join(folder, file), readFileSync(join(folder, file), "utf8") + line + "\n");
    const services = readFileSync(join(folder, "services.csv"), "utf8").trim().split("\n");
    append("services.csv", services[1]!.toLowerCase());
    append("service_at_location.csv", "11111111-2222-4333-8444-555555555555,ac148810-d857-441c-9679-408f346de14b,99999999-2222-4333-8444-555555555555,");
    const locations = readFileSync(join(folder, "locations.csv"), "utf8").replace(",30.355,-9.555,", ",28.1,-15.4,");
    writeFileSync(join(folder, "locations.csv"), locations);
    const issues = issuesOf(readHsds(folder, context()));
    const shown = issues.map((i) => `${placeOf(i).replace(`${folder}/`, "").replace(`${relative(process.cwd(), folder)}/`, "")}: ${i.message}`);
    expect(shown).toEqual([
      expect.stringMatching(/^services\.csv:3 › service "ac148810-.*" › id: Duplicate id: .* already used on line 2$/),
      expect.stringMatching(/^service_at_location\.csv:3 › service_at_location "11111111-.*" › location_id: Unknown reference: no location has id "99999999-/),
      expect.stringMatching(/^locations\.csv:2 › location "3a19ff88-.*": Not in Morocco: the point 28\.1, -15\.4/),
    ]);
  });
});

describe("HSDS import of ids", () => {
  const corrected = () => JSON.parse(readFileSync(join(FIXTURES, "corrected/service.json"), "utf8")) as Record<string, unknown> & { service_at_locations: { location: Record<string, unknown> }[] };
  const write = (value: unknown) => {
    const path = join(temp(), "services.json");
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it("reports a service given twice", () => {
    const issues = issuesOf(readHsds(write([corrected(), corrected()]), context()));
    expect(issues.map((i) => `${i.where} › ${String(i.path[0])}: ${i.message}`)).toEqual(['service "ac148810-d857-441c-9679-408f346de14b" › id: Duplicate id: "ac148810-d857-441c-9679-408f346de14b" is already used by another service']);
  });

  it("reports a Dalil id that two records claim, at the record that claims it second", () => {
    const service = corrected();
    const term = { id: "aaaaaaaa-0000-4000-8000-000000000002", code: "dalil:id:id", name: "id", description: "Dalil id", taxonomy: "dalil:id" };
    service.service_at_locations[0]!.location.attributes = [{ id: "aaaaaaaa-0000-4000-8000-000000000001", link_type: "id", taxonomy_term: term, value: "ac148810-d857-441c-9679-408f346de14b" }];
    const issues = issuesOf(readHsds(write(service), context()));
    expect(issues).toEqual([expect.objectContaining({ where: 'service "ac148810-d857-441c-9679-408f346de14b"', message: expect.stringMatching(/^Dalil's id: Duplicate id: "ac148810-/) })]);
  });
});

describe("HSDS export", () => {
  const specRows = () => parseCsv(readFileSync(join(FIXTURES, "spec/schema.csv"), "utf8"), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  const specPackage = () => JSON.parse(readFileSync(join(FIXTURES, "spec/datapackage.json"), "utf8")) as { resources: { name: string; path: string; schema: { fields: { name: string; type: string; format?: string; constraints?: { required?: boolean; enum?: string[] } }[]; foreignKeys?: { fields: string; reference: { resource: string } }[] } }[] };

  it("transcribes the specification's tables exactly (src/directory/hsds/spec.ts)", () => {
    const flags = new Map(specRows().map((r) => [`${r.table_name}.${r.name}`, r]));
    const resources = specPackage().resources;
    expect(TABLE_NAMES.sort()).toEqual(resources.map((r) => r.name).sort());
    for (const r of resources) {
      const spec = SPEC[r.name as keyof typeof SPEC];
      expect(spec.path).toBe(r.path);
      const fks = new Map((r.schema.foreignKeys ?? []).map((fk) => [fk.fields, fk.reference.resource]));
      expect(spec.fields.map((f) => [f.name, f.type, f.format ?? null, f.enum ?? null, f.references ?? null])).toEqual(r.schema.fields.map((f) => [f.name, f.type, f.format ?? null, f.constraints?.enum ?? null, fks.get(f.name) ?? null]));
      for (const f of spec.fields) {
        expect([r.name, f.name, f.required, f.tabularRequired]).toEqual([r.name, f.name, flags.get(`${r.name}.${f.name}`)?.constraints_required === "true", flags.get(`${r.name}.${f.name}`)?.constraints_tablular_required === "true"]);
      }
    }
  });

  it("writes JSON whose every object has the fields the specification requires, with UUID ids", () => {
    const required = new Map<string, string[]>();
    for (const r of specRows()) if (r.constraints_required === "true") required.set(r.table_name!, [...(required.get(r.table_name!) ?? []), r.name!]);
    const NESTED: Record<string, Record<string, string>> = {
      service: { organization: "organization", service_at_locations: "service_at_location", languages: "language", attributes: "attribute" },
      organization: { attributes: "attribute" },
      service_at_location: { location: "location", phones: "phone", schedules: "schedule" },
      location: { attributes: "attribute" },
      attribute: { taxonomy_term: "taxonomy_term" },
      taxonomy_term: { taxonomy_detail: "taxonomy" },
    };
    const missing: string[] = [];
    let checked = 0;
    const check = (object: Record<string, unknown>, table: string) => {
      checked++;
      for (const field of required.get(table) ?? []) if (object[field] === undefined || object[field] === "") missing.push(`${table} ${String(object.id)}: ${field}`);
      expect(object.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      for (const [key, nested] of Object.entries(NESTED[table] ?? {})) {
        const value = object[key];
        for (const child of Array.isArray(value) ? value : value ? [value] : []) check(child as Record<string, unknown>, nested);
      }
    };
    for (const service of toHsdsJson([...sampleFiles(), { data: richFile() }])) check(service, "service");
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it("writes a datapackage of the specification's tables: same columns, required cells filled, ids unique, references resolved", () => {
    const files = toHsdsDatapackage([...sampleFiles(), { data: richFile() }]);
    const descriptor = JSON.parse(files.get("datapackage.json")!) as { dalil: { sample: boolean }; resources: { name: string; path: string }[] };
    expect(descriptor.dalil.sample).toBe(true);
    expect([...files.keys()].sort()).toEqual([...descriptor.resources.map((r) => r.path), "datapackage.json"].sort());
    const spec = new Map(specPackage().resources.map((r) => [r.name, r]));
    const tables = new Map(descriptor.resources.map((r) => [r.name, parseCsv(files.get(r.path)!, { columns: true }) as Record<string, string>[]]));
    for (const { name, path } of descriptor.resources) {
      const official = spec.get(name)!;
      expect(files.get(path)!.split("\n")[0]).toBe(official.schema.fields.map((f) => f.name).join(","));
      const rows = tables.get(name)!;
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      for (const f of official.schema.fields.filter((f) => f.constraints?.required)) expect(rows.filter((r) => r[f.name] === "").map((r) => `${name}.${f.name} ${r.id}`)).toEqual([]);
      for (const fk of official.schema.foreignKeys ?? []) {
        const target = tables.get(fk.reference.resource);
        if (!target) continue;
        const ids = new Set(target.map((r) => r.id));
        expect(rows.filter((r) => r[fk.fields] !== "" && !ids.has(r[fk.fields]!)).map((r) => `${name}.${fk.fields} ${r.id}`)).toEqual([]);
      }
    }
  });

  it("gives the same JSON for the data files and for the joined directory, and the same output every time", () => {
    expect(toHsdsJson(realContent().directory)).toEqual(toHsdsJson(sampleFiles()));
    expect(toHsdsDatapackage(sampleFiles())).toEqual(toHsdsDatapackage(sampleFiles()));
  });
});

describe("HSDS round trip", () => {
  const exported = (files: readonly { data: DirectoryFile }[]) => {
    const folder = temp();
    writeHsds(folder, files);
    return { json: join(folder, "hsds.json"), datapackage: join(folder, "datapackage") };
  };

  it.each(["json", "datapackage"] as const)("gives back the sample directory unchanged through the %s form", (form) => {
    const { data, notices } = dataOf(readHsds(exported(sampleFiles())[form], context()));
    expect(merged([{ data }])).toEqual(merged(sampleFiles()));
    expect(notices).toEqual([]);
    expect(data.sample).toBe(form === "datapackage");
  });

  it("keeps every field of the model: phones, verification, inactive and paid services, texts in one language, odd hours", () => {
    const rich = richFile();
    const back = (form: "json" | "datapackage") => dataOf(readHsds(exported([{ data: rich }])[form], context())).data;
    const datapackage = back("datapackage");
    expect(merged([{ data: datapackage }])).toEqual(merged([{ data: rich }]));
    expect([datapackage.sample, datapackage.note]).toEqual([false, "Fictional records for tests."]);
    // The JSON form is a list of services: what no service uses cannot be in it.
    const json = back("json");
    const used = { ...rich, organisations: rich.organisations.filter((o) => o.id !== "org-rich-unused"), locations: rich.locations.filter((l) => l.id !== "loc-rich-unused") };
    expect(merged([{ data: json }])).toEqual(merged([{ data: used }]));
  });

  it.each(["json", "datapackage"] as const)("gives back the same directory through the database (%s form)", async (form) => {
    const folder = temp();
    // A fresh database, without the sample import start-up does: what it holds comes from the HSDS files only.
    const db = await openDatabase(await testDatabaseUrl(folder), { root: projectRoot() });
    try {
      const store = new DirectoryStore(db.prisma);
      expect(await store.isEmpty()).toBe(true);
      const result = readHsds(exported(sampleFiles())[form], context());
      if ("issues" in result) throw new Error(result.issues.map(formatIssue).join("\n"));
      const report = await store.import(result.files, new Date("2026-11-27T10:00:00Z"));
      expect(report.services).toBe(realContent().directory.services.length);
      const sort = (services: readonly DirectoryService[]) => [...services].sort((a, b) => a.id.localeCompare(b.id));
      expect(sort((await store.current()).services)).toEqual(sort(realContent().directory.services));
    } finally {
      await db.close();
    }
  });
});
