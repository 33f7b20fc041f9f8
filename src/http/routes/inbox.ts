import { Hono, type Context } from "hono";
import { z } from "zod";
import type { UserStore } from "../../accounts/users.js";
import type { Content } from "../../engine/context.js";
import { localized } from "../../directory/directory.js";
import { cardText } from "../../handoff/card.js";
import { HandoffError, type HandoffService } from "../../handoff/service.js";
import { HANDOFF_OUTCOMES, type Facilitator, type TicketStore, type TicketView } from "../../handoff/tickets.js";
import type { DirectoryStore } from "../../store/directory-store.js";
import { requireRole, type StaffEnv } from "../auth.js";
import { escapeHtml, page } from "../html.js";

export interface InboxDeps {
  handoff: HandoffService;
  tickets: TicketStore;
  users: UserStore;
  content: Content;
  directory: DirectoryStore;
  language: string;
}

const textBody = z.object({ text: z.string().min(1).max(4000) }).strict();
const referralBody = z.object({ serviceId: z.string().min(1).max(80) }).strict();
const transferBody = z.object({ to: z.string().min(1).max(40) }).strict();
const closeBody = z.object({ outcome: z.enum(HANDOFF_OUTCOMES) }).strict();

/**
 * The facilitators' web inbox: a page (its script polls this JSON API, so it updates by itself) and the actions on a
 * ticket. Facilitators and administrators only; every change needs the session's CSRF token.
 */
export function inboxRoutes(deps: InboxDeps): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const i18n = deps.content.i18n;
  app.use("*", requireRole("facilitator", "admin"));
  const me = (c: { get: (k: "staff") => StaffEnv["Variables"]["staff"] }): Facilitator => {
    const user = c.get("staff")!.user;
    return { key: `web:${user.id}`, name: user.displayName };
  };

  app.get("/", (c) => {
    const staff = c.get("staff")!;
    const html = page({
      title: i18n.t(deps.language, "staff:inbox.title"),
      language: deps.language,
      dir: i18n.dir(deps.language),
      stylesheet: "inbox.css",
      head: `<meta name="csrf-token" content="${escapeHtml(staff.csrf)}">
<meta name="strings" content="${escapeHtml(JSON.stringify(inboxStrings(deps)))}">
<script type="module" src="/static/inbox.js"></script>`,
      body: `<header class="bar"><strong>${escapeHtml(i18n.t(deps.language, "staff:inbox.title"))}</strong><span>${escapeHtml(staff.user.displayName)}</span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(staff.csrf)}"><button type="submit">${escapeHtml(i18n.t(deps.language, "staff:logout"))}</button></form></header>
<div class="inbox"><nav id="queue" aria-label="${escapeHtml(i18n.t(deps.language, "staff:inbox.queue"))}"></nav><main id="ticket" aria-live="polite"></main></div>`,
    });
    return c.html(html, 200, { "cache-control": "no-store" });
  });

  app.get("/api/tickets", async (c) => {
    const mine = me(c).key;
    const summary = (t: TicketView) => ({
      id: t.id,
      status: t.status,
      urgent: t.urgent,
      categories: t.card.categories.map((code) => i18n.t(deps.language, `common:category.${code}`)),
      place: t.card.commune ? (deps.content.triage.gazetteer.get(t.card.commune)?.nameFr ?? t.card.commune) : null,
      language: i18n.name(t.language),
      channel: t.channel,
      createdAt: t.createdAt.toISOString(),
      lastActivityAt: t.lastActivityAt.toISOString(),
      claimedByName: t.claimedByName,
      mine: t.claimedBy === mine,
      flagged: t.flaggedAt !== null,
      outcome: t.outcome,
    });
    return c.json({ open: (await deps.tickets.queue()).map(summary), closed: (await deps.tickets.recentlyClosed(20)).map(summary) });
  });

  app.get("/api/tickets/:id{[0-9]+}", async (c) => {
    const ticket = await deps.tickets.get(Number(c.req.param("id")));
    if (!ticket) return c.json({ error: "no such ticket" }, 404);
    const after = Number(c.req.query("after") ?? "0") || 0;
    const lines = await deps.tickets.thread(ticket.id, after);
    return c.json({
      id: ticket.id,
      status: ticket.status,
      urgent: ticket.urgent,
      mine: ticket.claimedBy === me(c).key,
      claimedByName: ticket.claimedByName,
      card: cardText(ticket, { i18n, language: deps.language, gazetteer: deps.content.triage.gazetteer, directory: await deps.directory.current() }),
      commune: ticket.card.commune,
      categories: ticket.card.categories,
      lines: lines.map((l) => ({ id: l.id, author: l.author, text: l.text, by: l.by, at: l.at.toISOString() })),
    });
  });

  const act = (handler: (id: number, c: Context<StaffEnv>, body: unknown) => Promise<unknown>) => async (c: Context<StaffEnv>) => {
    const id = Number(c.req.param("id"));
    const body = await c.req.json().catch(() => ({}));
    try {
      const result = await handler(id, c, body);
      return c.json(result ?? { ok: true });
    } catch (error) {
      if (error instanceof z.ZodError) return c.json({ error: "invalid request", issues: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, 400);
      if (error instanceof HandoffError) return c.json({ error: error.message, code: error.code }, error.code === "missing" ? 404 : 409);
      throw error;
    }
  };

  app.post("/api/tickets/:id{[0-9]+}/claim", act(async (id, c) => {
    const result = await deps.handoff.claim(id, me(c));
    if (!result.ok) throw new HandoffError(result.status === "missing" ? "missing" : "not_yours", result.status === "closed" ? `Ticket #${id} is closed` : `Already claimed by ${result.holder ?? "someone"}`);
    return { ok: true };
  }));
  app.post("/api/tickets/:id{[0-9]+}/reply", act((id, c, body) => deps.handoff.reply(id, me(c), textBody.parse(body).text)));
  app.post("/api/tickets/:id{[0-9]+}/note", act((id, c, body) => deps.handoff.note(id, me(c), textBody.parse(body).text)));
  app.post("/api/tickets/:id{[0-9]+}/referral", act((id, c, body) => deps.handoff.sendReferral(id, me(c), referralBody.parse(body).serviceId)));
  app.post("/api/tickets/:id{[0-9]+}/close", act((id, c, body) => deps.handoff.close(id, me(c), closeBody.parse(body).outcome)));
  app.post("/api/tickets/:id{[0-9]+}/transfer", act(async (id, c, body) => {
    const target = await deps.users.byLogin(transferBody.parse(body).to);
    if (!target || target.disabled || !["facilitator", "admin"].includes(target.role)) throw new HandoffError("missing", "No such facilitator");
    await deps.handoff.transfer(id, me(c), { key: `web:${target.id}`, name: target.displayName });
  }));

  app.get("/api/services", async (c) => {
    const services = await deps.handoff.searchServices({ text: c.req.query("q") ?? "", category: c.req.query("category") ?? "", commune: c.req.query("commune") ?? "" });
    return c.json(services.map((s) => ({ id: s.id, name: `${s.organisation.name} — ${localized(s.name, deps.language)}`, places: s.sites.map((x) => localized(x.location.address ?? x.location.name, deps.language)).join(" · ") })));
  });

  app.get("/api/facilitators", async (c) => {
    const users = (await deps.users.list()).filter((u) => !u.disabled && (u.role === "facilitator" || u.role === "admin"));
    return c.json(users.map((u) => ({ login: u.login, name: u.displayName })));
  });

  return app;
}

/** The inbox script's words, in the facilitators' language. */
function inboxStrings(deps: InboxDeps): Record<string, string> {
  const keys = ["queue", "closed", "empty", "pick", "claim", "reply", "send", "note", "add_note", "referral", "search", "send_card", "transfer", "transfer_to", "close", "outcome", "urgent", "flagged", "claimed_by", "mine", "person", "dalil", "facilitator", "system", "error"];
  const strings: Record<string, string> = Object.fromEntries(keys.map((k) => [k, deps.content.i18n.t(deps.language, `staff:inbox.${k}`)]));
  for (const outcome of HANDOFF_OUTCOMES) strings[`outcome_${outcome}`] = deps.content.i18n.t(deps.language, `handoff:outcome.${outcome}`);
  return strings;
}
