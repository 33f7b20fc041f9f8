import { BlockList, isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { ConversationService } from "../app/conversations.js";
import { SESSION_ID, toResponse } from "../channels/web.js";
import type { Translator } from "../engine/context.js";
import type { RateLimits } from "../store/rate-limits.js";

/** Who is asking: the client's address and whether it reached us over https (through a trusted proxy, if any). */
export interface ClientInfo {
  /** The client's IP address; `unknown` when the server cannot tell (requests made without a socket, in tests). */
  ip: string;
  https: boolean;
}

export type ClientEnv = { Variables: { client: ClientInfo } };

/** `::ffff:192.0.2.1` is 192.0.2.1. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Whose forwarded headers are believed, from TRUSTED_PROXY (`loopback`, addresses, subnets). Nobody's when unset: a
 * client could otherwise pick the address it is counted under, or claim https.
 */
export function trustedProxies(entries: readonly string[] | undefined): (address: string) => boolean {
  if (!entries || entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addAddress("::1", "ipv6");
      continue;
    }
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address: string) => {
    const plain = plainAddress(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? "ipv6" : "ipv4");
  };
}

/** The socket's peer address, from the Node adapter; undefined without a socket. */
function peerAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * Sets `c.get("client")` once per request. X-Forwarded-For and X-Forwarded-Proto count only when the peer is a
 * trusted proxy: then the client is the right-most address of X-Forwarded-For that is not itself a trusted proxy.
 * Forwarded headers from anyone else are ignored (and said once in the log, without addresses, since that usually
 * means TRUSTED_PROXY is missing).
 */
export function clientInfo(options: { trusted: (address: string) => boolean; logger: Logger }): MiddlewareHandler<ClientEnv> {
  let warned = false;
  return async (c, next) => {
    const peer = peerAddress(c);
    const forwardedFor = c.req.header("x-forwarded-for");
    const forwardedProto = c.req.header("x-forwarded-proto");
    const direct = new URL(c.req.url).protocol === "https:";
    let ip = peer ? plainAddress(peer) : "unknown";
    let https = direct;
    if (peer && options.trusted(peer)) {
      if (forwardedFor) {
        const hops = forwardedFor.split(",").map((h) => plainAddress(h.trim())).filter((h) => isIP(h) !== 0);
        const client = [...hops].reverse().find((h) => !options.trusted(h)) ?? hops[0];
        if (client) ip = client;
      }
      if (forwardedProto) https = forwardedProto.split(",")[0]!.trim().toLowerCase() === "https";
    } else if ((forwardedFor || forwardedProto) && !warned) {
      warned = true;
      options.logger.warn("X-Forwarded-For or X-Forwarded-Proto received from a peer that is not a trusted proxy: ignored (set TRUSTED_PROXY if Dalil runs behind a reverse proxy)");
    }
    c.set("client", { ip, https });
    await next();
  };
}

/** The client as `clientInfo` saw it; read from the request alone when the middleware did not run. */
export function clientOf(c: Context): ClientInfo {
  const set = (c as Context<ClientEnv>).get("client");
  return set ?? { ip: peerAddress(c) ? plainAddress(peerAddress(c)!) : "unknown", https: new URL(c.req.url).protocol === "https:" };
}

/** The key a client address is counted under: IPv6 clients by their /64 (one subscriber's network), IPv4 by address. */
export function addressKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

export interface ApiLimitDeps {
  rateLimits: RateLimits;
  conversations: ConversationService;
  i18n: Translator;
  clock: () => Date;
  /** Per client address and minute; 0 turns it off. */
  perAddressPerMinute: number;
  /** Everyone together, per minute; 0 turns it off. */
  globalPerMinute: number;
}

const MINUTE = 60_000;

/**
 * The JSON API's limits beyond the per-person one (which the conversation service applies): per client address and
 * for everyone together, counted in the database so that every worker shares them. Over a limit the answer is a 429
 * shaped like the per-person one (`{ error, messages }`), with the polite notice in the session's language the first
 * time that session is refused in the minute, nothing after.
 */
export function apiRateLimit(deps: ApiLimitDeps): MiddlewareHandler<ClientEnv> {
  return async (c, next) => {
    const nowMs = deps.clock().getTime();
    if (deps.perAddressPerMinute > 0) {
      const check = await deps.rateLimits.hit(`api-address:${addressKey(clientOf(c).ip)}`, { limit: deps.perAddressPerMinute, windowMs: MINUTE, nowMs });
      if (!check.allowed) return refuse(c, deps, nowMs, check.retryAfterMs);
    }
    if (deps.globalPerMinute > 0) {
      const check = await deps.rateLimits.hitShared("api-global", { limit: deps.globalPerMinute, windowMs: MINUTE, nowMs });
      if (!check.allowed) return refuse(c, deps, nowMs, check.retryAfterMs);
    }
    await next();
  };
}

/** The session a request to the API is about, if it names one. */
async function sessionOf(c: Context): Promise<string | null> {
  const fromPath = /^\/api\/events\/([^/]+)$/.exec(c.req.path)?.[1];
  if (fromPath) return SESSION_ID.test(fromPath) ? fromPath : null;
  if (c.req.method !== "POST") return null;
  // Parsed once: Hono keeps the body for the route that would have read it.
  const body = (await c.req.json().catch(() => null)) as { session?: unknown } | null;
  return typeof body?.session === "string" && SESSION_ID.test(body.session) ? body.session : null;
}

async function refuse(c: Context, deps: ApiLimitDeps, nowMs: number, retryAfterMs: number): Promise<Response> {
  const retryAfter = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  const session = await sessionOf(c);
  let messages: ReturnType<typeof toResponse>["messages"] = [];
  if (session) {
    // Once per session and minute: a page that keeps trying is not told again and again.
    const once = await deps.rateLimits.hit(`api-notice:${session}`, { limit: 0, windowMs: MINUTE, nowMs });
    if (once.firstRefusal) {
      const { language, dir } = await deps.conversations.languageOf("web", session);
      messages = toResponse({ language, dir, outbound: [{ text: deps.i18n.t(language, "common:rate_limited"), role: "notice" }] }).messages;
    }
  }
  return c.json({ error: "too many requests: wait a minute", messages }, 429, { "retry-after": retryAfter });
}
