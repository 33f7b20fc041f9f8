import type { Translator } from "../engine/context.js";
import type { Gazetteer } from "../triage/gazetteer.js";
import type { Directory } from "../directory/directory.js";
import { localized } from "../directory/directory.js";
import type { TicketView } from "./tickets.js";

/**
 * The handoff card as facilitators read it, in their language: what is needed, where, how urgent, who is asking
 * (only the codes the person gave), and what the bot already suggested. Never a phone number or a name.
 */
export function cardText(ticket: TicketView, deps: { i18n: Translator; language: string; gazetteer: Gazetteer; directory: Directory }): string {
  const { i18n, language } = deps;
  const t = (key: string, vars?: Record<string, string | number>) => i18n.t(language, key, vars);
  const card = ticket.card;
  const commune = card.commune ? deps.gazetteer.get(card.commune) : undefined;
  const lines = [
    `${ticket.urgent ? "🚨 " : ""}#${ticket.id} · ${card.categories.map((c) => t(`common:category.${c}`)).join(" + ")}`,
    `📍 ${commune ? `${commune.nameFr} (${commune.provinceFr}, ${commune.regionFr})` : t("handoff:card.no_place")}`,
    `🗣 ${t("handoff:card.language")}: ${i18n.name(card.language)} · ${t("handoff:card.channel")}: ${ticket.channel}`,
    `👤 ${[
      card.profile.sex === "not_asked" ? null : t(`common:sex.${card.profile.sex}`),
      card.profile.ageBand === "not_asked" ? null : t(`common:age_band.${card.profile.ageBand}`),
      card.profile.status === "not_asked" ? null : t(`common:status.${card.profile.status}`),
    ]
      .filter(Boolean)
      .join(" · ") || t("handoff:card.no_profile")}`,
    `❓ ${t(`handoff:reason.${ticket.reason}`)}${card.signals.length > 0 ? ` (${card.signals.map((s) => t(`handoff:signal.${s}`)).join(", ")})` : ""}`,
  ];
  if (card.referrals.length > 0) {
    const names = card.referrals.map((id) => {
      const service = deps.directory.get(id);
      return service ? `${service.organisation.name} — ${localized(service.name, language)}` : id;
    });
    lines.push(`↪️ ${t("handoff:card.referred")}: ${names.join(" ; ")}`);
  }
  if (ticket.claimedByName) lines.push(`✋ ${t("handoff:card.claimed_by", { name: ticket.claimedByName })}`);
  return lines.join("\n");
}
