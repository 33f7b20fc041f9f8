/**
 * Dalil's directory as Open Referral HSDS 3.0: the JSON form (an array of services with their related objects
 * nested), and through `./datapackage.ts` the CSV form. `./import.ts` reads both back; the two follow the same rules.
 *
 * Mapping rules (Dalil ↔ HSDS):
 * - Ids: every HSDS id is a UUID derived from the Dalil id (`./ids.ts`), stable from one export to the next; the
 *   Dalil id itself travels as a `dalil:id` attribute. The import takes it from there, else from the HSDS id
 *   (lowercased: UUIDs written in capitals mean the same record).
 * - Codes HSDS has no field for are attributes whose taxonomy term is a Dalil code (`./vocabulary.ts`): need
 *   categories (`dalil:category`), populations (`dalil:population`), organisation kind (`dalil:organisation_kind`),
 *   cost (`dalil:cost`), in Dalil's order.
 * - Texts: the French text (or the only one) fills the HSDS field (`name`, `description`). A text given in several
 *   languages is also written whole as `dalil:text` attributes, one per language (term `name.ar`, value the text),
 *   which the import prefers, so Arabic and English names survive the round trip.
 * - Organisation: `name`, `description` (HSDS requires one: the name stands in when Dalil has none, and a
 *   description equal to the name is read back as none), `email`, `website`.
 * - Location: `name`, `latitude`/`longitude`, `location_type: physical`; the HCP commune code is the
 *   `external_identifier` with `external_identifier_type: HCP`. No HSDS `address` is written: HSDS requires a postal
 *   code, which Dalil does not keep. Dalil's address text travels as `dalil:text` attributes (`address`, or
 *   `address.fr`...); from other sources the import builds it from the first address (`address_1`, `address_2`, `city`).
 * - Service: `status` active/inactive (the import also reads `defunct` and `temporarily closed` as inactive);
 *   `last_verified` → `assured_date`; `verified_by` → `assurer_email` when it is an
 *   e-mail address, else a `dalil:verified_by` attribute; languages → `languages` (ISO 639 code, English name).
 * - Sites → `service_at_locations`, each with its location nested, its phones (`type: voice`) and its schedules:
 *   weekly hours and dated exceptions as described in `./schedules.ts` (closure = dated schedule without times).
 *   From other sources, phones and schedules given for the service or the location apply to each site that has none
 *   of its own (the site's win, then the service's, then the location's).
 * - The JSON form holds only what services reach; organisations and locations no service uses appear in the CSV form
 *   only. The `sample` flag and the note travel in the datapackage's `datapackage.json` (property `dalil`); the JSON
 *   form has no place for them, and a joined Directory (the database) does not know them: both export `sample: false`.
 * - What the import needs and HSDS may lack is reported, not guessed: a need category, the cost when the service
 *   describes fees, a commune (unless the gazetteer finds it from the coordinates), coordinates in Morocco. An
 *   organisation without `dalil:organisation_kind` is `other`; a service without `dalil:cost` nor fees is `free`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toHsdsDatapackage } from "./datapackage.js";
import { toHsdsJson, type DirectorySource } from "./to-json.js";

export { toHsdsDatapackage } from "./datapackage.js";
export { directoryRecords, toHsdsJson, type DirectorySource, type HsdsJson } from "./to-json.js";

/**
 * Writes both forms into a folder: `hsds.json` (the JSON form) and `datapackage/` (the CSV files and
 * datapackage.json). Returns the paths written.
 */
export function writeHsds(folder: string, source: DirectorySource): string[] {
  const written: string[] = [];
  mkdirSync(join(folder, "datapackage"), { recursive: true });
  const json = join(folder, "hsds.json");
  writeFileSync(json, `${JSON.stringify(toHsdsJson(source), null, 2)}\n`);
  written.push(json);
  for (const [name, content] of toHsdsDatapackage(source)) {
    const path = join(folder, "datapackage", name);
    writeFileSync(path, content);
    written.push(path);
  }
  return written;
}
