// Dalil web chat. Uses only the public JSON API (POST /api/chat, GET /api/events/:session, GET /api/strings/:lang),
// so anything this page does, any other integration can do too. No inline code: the page's CSP forbids it.

const store = window.sessionStorage; // cleared when the tab closes: nothing lingers on a shared phone
const $ = (id) => document.getElementById(id);
const log = $("log");
const input = $("input");
const statusLine = $("status");

/** 128 random bits, base64url: the session id the server knows this conversation by. */
function newSession() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const session = store.getItem("dalil.session") || newSession();
store.setItem("dalil.session", session);
let history = JSON.parse(store.getItem("dalil.history") || "[]");
let strings = {};
let language = store.getItem("dalil.language") || "";

async function loadStrings(lang) {
  const wanted = lang || (navigator.language || "fr").slice(0, 2);
  const response = await fetch(`/api/strings/${encodeURIComponent(wanted)}`);
  const data = await response.json();
  strings = data.strings;
  applyLanguage(data.language, data.dir);
}

function applyLanguage(lang, dir) {
  language = lang;
  store.setItem("dalil.language", lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = dir;
  $("title").textContent = strings.title || "Dalil";
  $("subtitle").textContent = strings.subtitle || "";
  input.placeholder = strings.placeholder || "";
  $("input-label").textContent = strings.placeholder || "Message";
  $("send").textContent = strings.send || "Send";
  $("btn-location").title = strings.share_location || "";
  $("btn-location").setAttribute("aria-label", strings.share_location || "");
  $("btn-menu").textContent = strings.menu || "Menu";
  $("btn-language").textContent = strings.language || "Language";
  $("btn-delete").textContent = strings.delete || "Delete";
}

/** Text with its https links made clickable, built from text nodes: nothing a message says can become HTML. */
function textWithLinks(text) {
  const fragment = document.createDocumentFragment();
  const pattern = /https:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    fragment.append(document.createTextNode(text.slice(last, match.index)));
    const link = document.createElement("a");
    link.href = match[0];
    link.textContent = strings.open_map && match[0].includes("openstreetmap.org") ? strings.open_map : match[0];
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    fragment.append(link);
    last = match.index + match[0].length;
  }
  fragment.append(document.createTextNode(text.slice(last)));
  return fragment;
}

function bubble(from, message) {
  const div = document.createElement("div");
  div.className = `msg ${from}${message.role && from === "bot" ? ` ${message.role}` : ""}`;
  div.dir = "auto";
  div.append(textWithLinks(message.text));
  if (message.choices && message.choices.length > 0) {
    const row = document.createElement("div");
    row.className = "choices";
    for (const choice of message.choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.label;
      button.dataset.choice = choice.id;
      button.addEventListener("click", () => send({ choice: choice.id }, choice.label));
      row.append(button);
    }
    div.append(row);
  }
  if (message.askLocation) {
    const share = document.createElement("button");
    share.type = "button";
    share.className = "share";
    share.textContent = strings.share_location || "";
    share.addEventListener("click", shareLocation);
    div.append(share);
  }
  log.append(div);
  div.scrollIntoView({ block: "end" });
}

function remember(from, message) {
  history.push({ from, message });
  history = history.slice(-200);
  store.setItem("dalil.history", JSON.stringify(history));
}

function show(from, message) {
  remember(from, message);
  bubble(from, message);
}

/** Buttons of earlier questions stay visible but cannot be pressed again. */
function retireChoices() {
  for (const button of log.querySelectorAll(".choices button, .msg .share")) button.disabled = true;
}

async function receive(data) {
  if (data.language && data.language !== language) await loadStrings(data.language);
  else if (data.dir) document.documentElement.dir = data.dir;
  for (const message of data.messages) show("bot", message);
}

async function send(payload, echo) {
  if (echo) show("me", { text: echo });
  retireChoices();
  statusLine.textContent = "…";
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ session, ...payload }),
    });
    const data = await response.json().catch(() => null);
    if (response.status === 429 && data) {
      // Too many messages: the server's notice (in the person's language) is shown once; later refusals are silent.
      for (const message of data.messages || []) show("bot", message);
      statusLine.textContent = "";
      return;
    }
    if (!response.ok || !data) throw new Error(`HTTP ${response.status}`);
    await receive(data);
    statusLine.textContent = "";
  } catch {
    statusLine.textContent = strings.connection_error || "Connection problem";
  }
}

function shareLocation() {
  if (!navigator.geolocation) {
    statusLine.textContent = strings.location_unavailable || "";
    return;
  }
  statusLine.textContent = strings.locating || "…";
  navigator.geolocation.getCurrentPosition(
    (position) => send({ location: { lat: position.coords.latitude, lon: position.coords.longitude } }, strings.share_location || ""),
    () => (statusLine.textContent = strings.location_unavailable || ""),
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
  );
}

function listen() {
  const events = new EventSource(`/api/events/${encodeURIComponent(session)}`);
  events.addEventListener("messages", (event) => receive(JSON.parse(event.data)));
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  if (text.trim() === "") return;
  input.value = "";
  send({ text }, text);
});
$("btn-location").addEventListener("click", shareLocation);
for (const id of ["btn-menu", "btn-language", "btn-delete"]) {
  const button = $(id);
  button.addEventListener("click", () => send({ command: button.dataset.command }, button.textContent));
}

await loadStrings(language);
if (history.length === 0) await send({ command: "start" });
else for (const entry of history) bubble(entry.from, entry.message);
retireChoices();
const lastBot = [...log.querySelectorAll(".msg.bot")].pop();
if (lastBot) for (const button of lastBot.querySelectorAll("button")) button.disabled = false;
listen();
input.focus();
