import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting of Dalil, read from the environment once (in `main.ts` or the CLI) and passed down. README and
 * `.env.example` list them; a bad value stops start-up with a message naming the variable.
 */
export const configSchema = z.object({
  /** `file:./var/dalil.db` (SQLite, the default) or `postgresql://...`. */
  DATABASE_URL: z
    .string()
    .default("file:./var/dalil.db")
    .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), "expected file:<path> (SQLite) or postgresql://... (PostgreSQL)"),
  /** Key of the keyed hashes (person ids). At least 32 characters; generated into var/ on SQLite when unset. */
  DALIL_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  /** Folder for local state: the SQLite database, the generated secret, channel sessions. */
  DALIL_VAR_DIR: z.string().default("var"),
  /** Conversations (and their transcripts) idle longer than this are deleted. */
  DALIL_RETENTION_DAYS: positiveInt(30),
  /** A request begun but left idle this long is logged as `abandoned`. */
  DALIL_ABANDON_AFTER_HOURS: positiveInt(24),
  /** The web chat, the JSON API and (later) the staff pages. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** 127.0.0.1 serves this machine only; 0.0.0.0 (behind a reverse proxy with TLS) serves the network. */
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof configSchema>;

/** Parse the environment; throws an Error listing every bad variable, each with what was expected. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ✖ ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
}
