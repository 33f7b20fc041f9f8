/**
 * Storage that is briefly unavailable — SQLite locked by another writer for longer than its busy timeout, PostgreSQL
 * restarting, a connection dropped, a serialisation conflict — is worth waiting for: the same operation usually
 * succeeds a moment later. Anything else (a constraint, a bug) is not retried.
 */
const TRANSIENT_CODES = new Set([
  // Prisma: cannot reach the server, timed out, server closed the connection, pool timeout, write conflict/deadlock.
  "P1001", "P1002", "P1008", "P1017", "P2024", "P2034",
  // PostgreSQL SQLSTATE: connection exceptions, shutdown/starting up, serialisation failure, deadlock.
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "40001", "40P01",
  // Node sockets.
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT",
  // SQLite.
  "SQLITE_BUSY", "SQLITE_LOCKED",
]);
const TRANSIENT_MESSAGE = /database is locked|database table is locked|SQLITE_BUSY|Connection terminated|Can't reach database server|ECONNREFUSED|ECONNRESET|server closed the connection|terminating connection|the database system is (starting up|shutting down)|Timed out fetching a new connection|Client has encountered a connection error/i;

export function isTransientStorageError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; cause?: unknown; meta?: { code?: unknown } };
    if (typeof candidate.code === "string" && TRANSIENT_CODES.has(candidate.code)) return true;
    if (typeof candidate.meta?.code === "string" && TRANSIENT_CODES.has(candidate.meta.code)) return true;
    if (typeof candidate.message === "string" && TRANSIENT_MESSAGE.test(candidate.message)) return true;
    e = candidate.cause;
  }
  return false;
}

/** Storage stayed unavailable for the whole retry budget: the message was not handled (the channel keeps it). */
export class StorageUnavailableError extends Error {
  constructor(readonly waitedMs: number, options: { cause: unknown }) {
    super(`The database stayed unavailable for ${Math.round(waitedMs / 1000)} s; the message was not handled`, options);
    this.name = "StorageUnavailableError";
  }
}

export interface RetryOptions {
  /** How long to keep trying before giving up. */
  budgetMs: number;
  /** Called once when the wait passes `slowAfterMs` (the channel tells the person "one moment"). */
  onSlow?: () => void | Promise<void>;
  slowAfterMs?: number;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, error: unknown) => void;
}

/** Runs `operation`, retrying transient storage errors with exponential backoff (50 ms doubling, at most 2 s). */
export async function withStorageRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  let told = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientStorageError(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= options.budgetMs) throw new StorageUnavailableError(waited, { cause: error });
      options.onRetry?.(attempt, error);
      if (!told && options.onSlow && waited >= (options.slowAfterMs ?? 2_000)) {
        told = true;
        await Promise.resolve(options.onSlow()).catch(() => undefined);
      }
      await sleep(Math.min(2_000, 50 * 2 ** (attempt - 1), Math.max(0, options.budgetMs - waited)));
    }
  }
}
