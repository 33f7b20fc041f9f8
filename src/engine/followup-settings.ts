import { z } from "zod";
import { CATEGORIES, type Category } from "../codes.js";
import { localTime } from "../directory/hours.js";

const TIME_RANGE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

/** `data/followup.yaml`: when and how referrals are followed up. */
export const followupSettingsSchema = z
  .object({
    default_days: z.number().int().min(1).max(30),
    by_category: z.partialRecord(z.enum(CATEGORIES), z.number().int().min(1).max(30)).default({}),
    reminder_after_hours: z.number().int().min(1).max(24 * 14),
    expire_after_days: z.number().int().min(1).max(60),
    polite_hours: z
      .string()
      .regex(TIME_RANGE, 'expected a range such as "09:00-20:00"')
      .refine((range) => range.slice(0, 5) < range.slice(6), "the range must end after it starts, on the same day"),
    reasons: z
      .array(z.string().regex(/^[a-z_]{2,24}$/, "reason codes are 2–24 characters of a-z and _"))
      .min(1)
      .max(10)
      .refine((codes) => new Set(codes).size === codes.length, "a reason is listed twice"),
    /** Words that, typed on their own while follow-ups are expected, mean "stop asking me". */
    stop_words: z.array(z.string().min(2).max(40)).min(1),
  })
  .strict();
export type FollowupSettings = z.infer<typeof followupSettingsSchema>;

/** What a person can answer to "did you manage to reach the service?". */
export const FOLLOWUP_ANSWERS = ["helped", "reached_not_helped", "not_yet", "could_not"] as const;
export type FollowupAnswer = (typeof FOLLOWUP_ANSWERS)[number];

/**
 * How a follow-up ended, as the `followup` table stores it: a person's answer, "stop asking", no answer after the
 * reminder, or a channel that refused the message.
 */
export const FOLLOWUP_OUTCOMES = [...FOLLOWUP_ANSWERS, "stopped", "no_answer", "undelivered"] as const;
export type FollowupOutcome = (typeof FOLLOWUP_OUTCOMES)[number];

/** Days until the question, decided by the request's first need. */
export function followupDays(settings: FollowupSettings, categories: readonly Category[]): number {
  const first = categories[0];
  return (first && settings.by_category[first]) ?? settings.default_days;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether an instant is within the polite hours in Africa/Casablanca ("09:00-20:00": from 09:00, before 20:00). */
export function withinPoliteHours(settings: FollowupSettings, instant: Date): boolean {
  const [from, to] = settings.polite_hours.split("-") as [string, string];
  const { minutes } = localTime(instant);
  return minutes >= minutesOf(from) && minutes < minutesOf(to);
}
