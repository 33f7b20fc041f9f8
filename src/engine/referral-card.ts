import { localized } from "../directory/directory.js";
import { addDays, localDate, weekSummary } from "../directory/hours.js";
import type { Referral } from "../directory/referrals.js";
import { WEEKDAYS, type Weekday, type WeeklyHours } from "../directory/schema.js";
import type { Outbound } from "./messages.js";
import type { Run } from "./run.js";

/** A Monday, to name weekdays through Intl in any language. */
const A_MONDAY = Date.UTC(2024, 0, 1);

/** Intl formatters cost far more to make than to use (a card makes a dozen): made once per locale and options. */
const formats = new Map<string, { format(value: Date | number): string }>();
function formatter(key: string, make: () => { format(value: Date | number): string }): { format(value: Date | number): string } {
  let made = formats.get(key);
  if (!made) formats.set(key, (made = make()));
  return made;
}

function weekdayName(run: Run, day: Weekday, width: "short" | "long"): string {
  const date = new Date(A_MONDAY + WEEKDAYS.indexOf(day) * 86_400_000);
  const locale = run.ctx.content.i18n.intlLocale(run.language);
  return formatter(`weekday|${locale}|${width}`, () => new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" })).format(date);
}

function longDate(run: Run, date: string): string {
  const locale = run.ctx.content.i18n.intlLocale(run.language);
  return formatter(`date|${locale}`, () => new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })).format(new Date(`${date}T12:00:00Z`));
}

export function formatKm(run: Run, km: number): string {
  const digits = km < 10 ? 1 : 0;
  const locale = run.ctx.content.i18n.intlLocale(run.language);
  return formatter(`km|${locale}|${digits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })).format(km);
}

function hoursLines(run: Run, referral: Referral): string[] {
  const status = referral.status;
  if (!status.known) return [run.t("steps:refer.hours_unknown")];
  let now: string;
  if (status.open) now = run.t("steps:refer.open_now", { time: status.closesAt ?? "" });
  else if (!status.next) now = run.t("steps:refer.closed");
  else {
    const today = localDate(run.ctx.now);
    const key = status.next.date === today ? "steps:refer.opens_today" : status.next.date === addDays(today, 1) ? "steps:refer.opens_tomorrow" : "steps:refer.opens_on";
    // Beyond tomorrow the date goes with the day: "samedi 5 décembre", never a bare "samedi" that may mean today.
    const day = key === "steps:refer.opens_on" ? longDate(run, status.next.date) : weekdayName(run, status.next.weekday, "long");
    now = run.t(key, { day, time: status.next.time });
  }
  const week = formatWeek(run, referral.site.hours);
  return week === "" ? [now] : [now, week];
}

/** "lun.–ven. 08:30-16:30 · sam. 09:00-12:00" in the person's language. */
export function formatWeek(run: Run, hours: WeeklyHours): string {
  // In a right-to-left message "08:30-16:30" would show as "16:30-08:30": isolate the ranges left to right.
  const ltr = (text: string) => (run.ctx.content.i18n.dir(run.language) === "rtl" ? `\u2066${text}\u2069` : text);
  return weekSummary(hours)
    .map((g) => {
      const days = g.from === g.to ? weekdayName(run, g.from, "short") : `${weekdayName(run, g.from, "short")}–${weekdayName(run, g.to, "short")}`;
      return `${days} ${ltr(g.ranges.join(", "))}`;
    })
    .join(" · ");
}

/** OpenStreetMap needs no account, no key and no app: a plain link works on any phone. */
export function mapLink(lat: number, lon: number): string {
  const la = lat.toFixed(5);
  const lo = lon.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=17/${la}/${lo}`;
}

/**
 * One referral as a message: a short text card (name, where and how far, hours and whether open now, phones,
 * languages spoken, a map link, and "call before going" when nobody has verified the entry) plus the site as a
 * location that channels can show on a map. `rank` numbers the card in a list; null for a card on its own.
 */
export function referralCard(run: Run, referral: Referral, rank: number | null): Outbound {
  const { service, site } = referral;
  const language = run.language;
  const i18n = run.ctx.content.i18n;
  const title = `${rank === null ? "" : `${rank}. `}${service.organisation.name} — ${localized(service.name, language)}${referral.womenOnly ? ` (${run.t("steps:refer.for_women")})` : ""}`;
  const address = localized(site.location.address, language) || localized(site.location.name, language);
  const where = referral.km === null ? address : `${address} · ${run.t("steps:refer.distance", { km: formatKm(run, referral.km) })}`;
  const lines = [title, `📍 ${where}`, ...hoursLines(run, referral).map((l, i) => (i === 0 ? `🕒 ${l}` : `   ${l}`))];
  if (site.phones.length > 0) lines.push(`📞 ${site.phones.join(" · ")}`);
  if (service.languages.length > 0) {
    lines.push(`🗣 ${run.list(service.languages.map((code) => (i18n.has(language, `common:language.names.${code}`) ? run.t(`common:language.names.${code}`) : code)))}`);
  }
  if (service.cost !== "free") lines.push(`💰 ${run.t(`steps:refer.cost_${service.cost}`)}`);
  if (service.lastVerified === null) lines.push(`⚠️ ${run.t("steps:refer.unverified")}`);
  lines.push(`🗺 ${mapLink(site.location.lat, site.location.lon)}`);
  return {
    text: lines.join("\n"),
    location: { lat: site.location.lat, lon: site.location.lon, name: service.organisation.name, ...(address ? { address } : {}) },
    role: "referral",
  };
}

/** Locale keys the cards use, for the flow checks. */
export const REFERRAL_CARD_KEYS = [
  "steps:refer.hours_unknown",
  "steps:refer.open_now",
  "steps:refer.closed",
  "steps:refer.opens_today",
  "steps:refer.opens_tomorrow",
  "steps:refer.opens_on",
  "steps:refer.for_women",
  "steps:refer.distance",
  "steps:refer.cost_paid",
  "steps:refer.cost_mixed",
  "steps:refer.unverified",
];
