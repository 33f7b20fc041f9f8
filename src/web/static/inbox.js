// The facilitators' inbox. Polls the inbox JSON API every few seconds (any worker can answer), so new tickets and
// messages appear without a reload. Everything shown is set as text, never as HTML.

const meta = (name) => document.querySelector(`meta[name="${name}"]`).getAttribute("content");
const csrf = meta("csrf-token");
const S = JSON.parse(meta("strings"));
const queueEl = document.getElementById("queue");
const ticketEl = document.getElementById("ticket");
let current = null; // { id, lastLine }
let facilitators = [];

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};

async function api(path, body) {
  const response = await fetch(`/inbox/api/${path}`, body === undefined ? { headers: { accept: "application/json" } } : {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function ticketLabel(t) {
  return `${t.urgent ? "🚨 " : ""}#${t.id} · ${t.categories.join(", ")}${t.place ? ` · ${t.place}` : ""}`;
}

async function refreshQueue() {
  const data = await api("tickets");
  const items = data.open.map((t) =>
    el("li", { class: `${t.urgent ? "urgent" : ""} ${current && current.id === t.id ? "current" : ""}` },
      el("button", { type: "button", "data-ticket": t.id, onclick: () => openTicket(t.id) },
        el("span", { class: "label" }, ticketLabel(t)),
        el("span", { class: "meta" }, t.status === "claimed" ? `${S.claimed_by} ${t.claimedByName}${t.mine ? ` (${S.mine})` : ""}` : t.language, t.flagged ? ` · ⚠️ ${S.flagged}` : ""))));
  const closed = data.closed.map((t) => el("li", { class: "closed" }, el("button", { type: "button", "data-ticket": t.id, onclick: () => openTicket(t.id) }, `${ticketLabel(t)} · ${S[`outcome_${t.outcome}`] || ""}`)));
  queueEl.replaceChildren(
    el("h2", {}, S.queue),
    items.length ? el("ul", {}, items) : el("p", { class: "muted" }, S.empty),
    el("h2", {}, S.closed),
    el("ul", {}, closed),
  );
}

// dir="auto": each message takes the direction of its own words (Arabic right to left in a French inbox) and is
// isolated, so that a bidi control inside (U+202E) cannot reorder anything around it.
function line(l) {
  return el("li", { class: `line ${l.author}` }, el("span", { class: "who", dir: "auto" }, l.by ? `${S[l.author] || l.author} · ${l.by}` : S[l.author] || l.author), el("span", { class: "what", dir: "auto" }, l.text));
}

async function openTicket(id) {
  const data = await api(`tickets/${id}`);
  current = { id, lastLine: data.lines.length ? data.lines[data.lines.length - 1].id : 0, status: data.status, mine: data.mine };
  const thread = el("ol", { id: "thread", class: "thread" }, data.lines.map(line));
  const status = el("p", { id: "status", role: "status", class: "muted" });
  const act = (path, body) => api(`tickets/${id}/${path}`, body).then(() => openTicket(id)).then(refreshQueue).catch((e) => (status.textContent = `${S.error}: ${e.message}`));
  const controls = [];
  if (data.status === "queued") controls.push(el("button", { type: "button", id: "claim", onclick: () => act("claim", {}) }, S.claim));
  if (data.status !== "closed") {
    const reply = el("textarea", { id: "reply-text", rows: 3, "aria-label": S.reply, dir: "auto" });
    const note = el("textarea", { id: "note-text", rows: 2, "aria-label": S.add_note, dir: "auto" });
    const query = el("input", { id: "service-query", type: "search", placeholder: S.search, "aria-label": S.search });
    const results = el("ul", { id: "service-results", class: "results" });
    const search = async () => {
      const found = await api(`services?q=${encodeURIComponent(query.value)}&category=${encodeURIComponent(data.categories[0] || "")}`);
      results.replaceChildren(...found.map((s) => el("li", {}, el("span", {}, `${s.name} — ${s.places}`), el("button", { type: "button", "data-service": s.id, onclick: () => act("referral", { serviceId: s.id }) }, S.send_card))));
    };
    query.addEventListener("input", () => void search());
    const transferTo = el("select", { id: "transfer-to", "aria-label": S.transfer_to }, facilitators.map((f) => el("option", { value: f.login }, f.name)));
    const outcome = el("select", { id: "outcome", "aria-label": S.outcome }, ["resolved", "referred_by_facilitator", "no_response", "out_of_scope"].map((o) => el("option", { value: o }, S[`outcome_${o}`])));
    if (data.mine) {
      controls.push(
        el("div", { class: "box" }, el("label", { for: "reply-text" }, S.reply), reply, el("button", { type: "button", id: "send-reply", onclick: () => reply.value.trim() && act("reply", { text: reply.value }) }, S.send)),
        el("div", { class: "box" }, el("label", { for: "service-query" }, S.referral), query, results),
        el("div", { class: "box row" }, transferTo, el("button", { type: "button", id: "transfer", onclick: () => act("transfer", { to: transferTo.value }) }, S.transfer)),
      );
      void search();
    }
    controls.push(
      el("div", { class: "box" }, el("label", { for: "note-text" }, S.add_note), note, el("button", { type: "button", id: "add-note", onclick: () => note.value.trim() && act("note", { text: note.value }) }, S.note)),
      el("div", { class: "box row" }, outcome, el("button", { type: "button", id: "close", onclick: () => act("close", { outcome: outcome.value }) }, S.close)),
    );
  }
  ticketEl.replaceChildren(el("h2", {}, `${data.urgent ? "🚨 " : ""}#${data.id}`), el("pre", { class: "handoff-card" }, data.card), thread, status, ...controls);
  thread.scrollTop = thread.scrollHeight;
}

async function poll() {
  try {
    await refreshQueue();
    if (current) {
      const data = await api(`tickets/${current.id}?after=${current.lastLine}`);
      const thread = document.getElementById("thread");
      if (data.status !== current.status || data.mine !== current.mine) await openTicket(current.id);
      else if (thread && data.lines.length) {
        for (const l of data.lines) thread.append(line(l));
        current.lastLine = data.lines[data.lines.length - 1].id;
        thread.scrollTop = thread.scrollHeight;
      }
    }
  } catch {
    // The next poll tries again.
  }
}

facilitators = await api("facilitators").catch(() => []);
await refreshQueue();
setInterval(() => void poll(), 3000);
