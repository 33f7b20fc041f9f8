import { z } from "zod";
import { CATEGORIES, POPULATIONS } from "../codes.js";

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,79}$/, "ids are 2–80 characters of a-z 0-9 _ . -");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "dates are written YYYY-MM-DD");
// Six big cities carry codes ending in ".0" in the gazetteer (Casablanca 06.141.01.0).
const communeCode = z.string().regex(/^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$/, "an HCP commune code such as 09.273.01.15");

/** Text in one language, or in several (`{ fr, ar, en }`); the person's language is used when present, else French. */
export const localizedTextSchema = z.union([z.string().min(1), z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1))]);
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** "08:30-16:30"; a range that ends before it starts runs past midnight ("20:00-02:00"). */
const timeRange = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'a time range such as "08:30-16:30"');
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Weekly opening hours in Africa/Casablanca local time; a missing day is closed. */
export const weeklyHoursSchema = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRange)])) as Record<Weekday, z.ZodArray<typeof timeRange>>).partial().strict();
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** Dated exceptions: Ramadan hours, public holidays. `hours` replaces the week for those dates; `closed: true` closes. */
export const hoursExceptionSchema = z
  .object({
    from: date,
    to: date,
    label: z.string().optional(),
    closed: z.boolean().optional(),
    hours: weeklyHoursSchema.optional(),
  })
  .strict()
  .refine((e) => e.from <= e.to, { message: "`from` must not be after `to`", path: ["to"] })
  .refine((e) => e.closed === true || e.hours !== undefined, { message: "an exception either closes (`closed: true`) or gives `hours`", path: ["hours"] });
export type HoursException = z.infer<typeof hoursExceptionSchema>;

export const organisationSchema = z
  .object({
    id,
    name: z.string().min(1),
    kind: z.enum(["baom", "association", "public", "international", "other"]),
    description: localizedTextSchema.optional(),
    website: z.url().optional(),
    email: z.email().optional(),
  })
  .strict();

export const locationSchema = z
  .object({
    id,
    name: localizedTextSchema,
    address: localizedTextSchema.optional(),
    commune: communeCode,
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .strict();

/** A phone number as dialled from Morocco or in international form; digits, spaces, + and - only. */
const phone = z.string().regex(/^\+?[0-9][0-9 -]{2,19}$/, "a phone number such as +212 5 28 00 00 00");

export const serviceAtLocationSchema = z
  .object({
    location: id,
    phones: z.array(phone).default([]),
    hours: weeklyHoursSchema.default({}),
    exceptions: z.array(hoursExceptionSchema).default([]),
  })
  .strict();

export const serviceSchema = z
  .object({
    id,
    organisation: id,
    name: localizedTextSchema,
    description: localizedTextSchema.optional(),
    categories: z.array(z.enum(CATEGORIES)).min(1),
    populations: z.array(z.enum(POPULATIONS)).default([]),
    /** Languages spoken at the desk: ISO 639 codes (ar, fr, en, es, zgh for Tamazight, ...). */
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).default([]),
    cost: z.enum(["free", "paid", "mixed"]).default("free"),
    /** When someone last checked the entry with the service itself; empty means "call before going". */
    last_verified: date.nullable().default(null),
    verified_by: z.string().nullable().default(null),
    active: z.boolean().default(true),
    at: z.array(serviceAtLocationSchema).min(1),
  })
  .strict()
  // The database keys these lists: a repeated value would fail in the middle of an import instead of here.
  .superRefine((s, ctx) => {
    for (const field of ["categories", "populations", "languages"] as const) {
      s[field].forEach((value, i) => {
        if (s[field].indexOf(value as never) !== i) ctx.addIssue({ code: "custom", path: [field, i], message: `Duplicate: "${value}" is listed twice` });
      });
    }
    s.at.forEach((site, i) => {
      if (s.at.findIndex((x) => x.location === site.location) !== i) ctx.addIssue({ code: "custom", path: ["at", i, "location"], message: `Duplicate: location "${site.location}" is listed twice` });
    });
  });

/** One directory file: `data/directory/*.yaml`. Files are merged; ids are unique across all of them. */
export const directoryFileSchema = z
  .object({
    sample: z.boolean().default(false),
    note: z.string().optional(),
    organisations: z.array(organisationSchema).default([]),
    locations: z.array(locationSchema).default([]),
    services: z.array(serviceSchema).default([]),
  })
  .strict();

export type OrganisationRecord = z.infer<typeof organisationSchema>;
export type LocationRecord = z.infer<typeof locationSchema>;
export type ServiceRecord = z.infer<typeof serviceSchema>;
export type ServiceAtLocationRecord = z.infer<typeof serviceAtLocationSchema>;
export type DirectoryFile = z.infer<typeof directoryFileSchema>;
