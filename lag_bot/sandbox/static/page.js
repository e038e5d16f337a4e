// The sandbox page: who you are, their chats, the messages as a Telegram client shows them.
"use strict";
const state = { who: null, chat: null, world: null, shown: "", replyTo: null, messages: 0 };
const $ = (id) => document.getElementById(id);
const welcome = $("welcome");

async function api(path, body) {
  const options = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

function toast(text) {
  if (!text) return;
  const box = $("toast");
  box.textContent = text;
  box.style.display = "block";
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.style.display = "none"; }, 2500);
}

async function loadWorld() {
  state.world = await api("/api/world");
  const select = $("who");
  for (const person of state.world.people) {  // labels change (Nele's once she has joined)
    let option = select.querySelector(`option[value="${person.id}"]`);
    if (!option) {
      option = document.createElement("option");
      option.value = person.id;
      select.appendChild(option);
    }
    option.textContent = `${person.name} – ${person.about}`;
  }
  $("now").textContent = state.world.now;
  $("zone").textContent = `(${state.world.zone})`;
  renderChats();
}

function chatsOf(who) {
  if (who === null) return [];
  return [{ id: who, title: "🤖 Bot (privat)", about: "dein Chat mit dem Bot" },
    ...state.world.groups.filter((g) => g.members.includes(who))
      .map((g) => ({ id: g.id, title: `👥 ${g.title}`, about: g.about }))];
}

function renderChats() {
  const list = $("chats");
  list.innerHTML = "";
  for (const chat of chatsOf(state.who)) {
    const item = document.createElement("div");
    item.className = "chat" + (chat.id === state.chat ? " active" : "");
    item.dataset.chat = chat.id;
    item.innerHTML = "<b></b><small></small>";
    item.querySelector("b").textContent = chat.title;
    item.querySelector("small").textContent = chat.about;
    item.onclick = () => openChat(chat);
    list.appendChild(item);
  }
}

function setInput(placeholder, enabled) {
  $("text").placeholder = placeholder;
  $("text").disabled = !enabled;
}

function openChat(chat) {
  state.chat = chat.id;
  state.shown = "";
  $("title").textContent = chat.title;
  setInput("Nachricht oder /befehl …", true);
  cancelReply();
  document.body.classList.add("show-chat");
  renderChats();
  refresh();
}

function choose(who) {  // a new person: nothing of the previous one stays on screen
  state.who = who;
  state.chat = null;
  state.shown = "";
  $("who").value = who === null ? "" : String(who);
  const person = state.world.people.find((p) => p.id === who);
  $("title").textContent = person ? `${person.name}: wähle einen Chat` : "Willkommen";
  setInput(person ? "Wähle zuerst einen Chat" : "Wähle zuerst, wer du bist", false);
  cancelReply();
  document.body.classList.remove("can-start");
  $("log").replaceChildren(person ? hint("Wähle links einen Chat.") : welcome);
  document.body.classList.toggle("show-chat", !person);
  renderChats();
}

function hint(text) {
  const box = document.createElement("div");
  box.className = "hint";
  box.textContent = text;
  return box;
}

const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote" };
const SAFE_URL = /^(https?:|mailto:|tg:)/i;

function wrap(entity, text) {  // one entity as an element; the text goes in as text, never as HTML
  if (entity.type === "text_link" || entity.type === "url") {
    const url = entity.type === "url" ? text : entity.url;
    if (url && SAFE_URL.test(url)) {
      const link = document.createElement("a");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }
  }
  if (entity.type === "spoiler") {
    const span = document.createElement("span");
    span.className = "spoiler";
    span.onclick = () => span.classList.add("shown");
    return span;
  }
  return document.createElement(TAGS[entity.type] || "span");
}

function formatted(text, entities) {
  // Telegram's offsets count UTF-16 code units, as JavaScript strings do.
  const cuts = new Set([0, text.length]);
  for (const e of entities) { cuts.add(e.offset); cuts.add(Math.min(text.length, e.offset + e.length)); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(from, to));
    const covering = entities.filter((e) => e.offset <= from && to <= e.offset + e.length);
    for (const e of covering.reverse()) {  // innermost first: the list is outer before inner
      const element = wrap(e, text.slice(e.offset, e.offset + e.length));
      element.appendChild(node);
      node = element;
    }
    out.appendChild(node);
  }
  return out;
}

function renderMessage(message) {
  const box = document.createElement("div");
  box.className = "msg" + (message.mine ? " me" : "");
  box.dataset.id = message.id;
  if (!message.mine) {
    const from = document.createElement("div");
    from.className = "from";
    from.textContent = message.from;
    box.appendChild(from);
  }
  const body = document.createElement("div");
  body.className = "text";
  body.appendChild(formatted(message.text, message.entities || []));
  box.appendChild(body);
  if (message.document) {
    const link = document.createElement("a");
    link.className = "doc";
    link.href = `/api/file/${encodeURIComponent(message.document.id)}`;
    link.textContent = `📎 ${message.document.name}`;
    link.setAttribute("download", message.document.name);
    box.appendChild(link);
  }
  if (message.buttons.length) {
    const rows = document.createElement("div");
    rows.className = "buttons";
    for (const row of message.buttons) {
      const line = document.createElement("div");
      for (const button of row) {
        const element = document.createElement("button");
        element.textContent = button.text;
        element.onclick = async () => {
          const result = await api("/api/press", { as: state.who, chat: state.chat, message: message.id, data: button.data });
          toast(result.answer);
          refresh();
        };
        line.appendChild(element);
      }
      rows.appendChild(line);
    }
    box.appendChild(rows);
  }
  if (!message.mine) {  // answer a message by replying to it, in groups and in the private chat
    const reply = document.createElement("a");
    reply.href = "#";
    reply.className = "reply";
    reply.textContent = "↩ Antworten";
    reply.onclick = (event) => {
      event.preventDefault();
      state.replyTo = message.id;
      $("replying").textContent = `↩ Antwort auf: ${message.text.slice(0, 60)}`;
      $("replying").style.display = "block";
      $("text").focus();
    };
    box.appendChild(reply);
  }
  if (message.edited) {
    const mark = document.createElement("div");
    mark.className = "edited";
    mark.textContent = "bearbeitet";
    box.appendChild(mark);
  }
  return box;
}

function cancelReply() {
  state.replyTo = null;
  $("replying").style.display = "none";
}

async function refresh() {
  if (state.chat === null) return;
  const [who, chat] = [state.who, state.chat];
  const result = await api(`/api/messages?as=${who}&chat=${chat}`);
  if (who !== state.who || chat !== state.chat) return;  // switched meanwhile
  // A private chat nobody has written in yet shows Telegram's START button.
  document.body.classList.toggle("can-start", chat === who && result.messages.length === 0);
  const signature = JSON.stringify(result.messages);
  if (signature === state.shown) return;
  const first = state.shown === "";
  state.shown = signature;
  const log = $("log");
  // Follow new messages only when already at the bottom: a card just pressed stays in view.
  const atBottom = first || log.scrollTop + log.clientHeight >= log.scrollHeight - 40;
  const kept = log.scrollTop;
  log.replaceChildren(...result.messages.map(renderMessage));
  if (!result.messages.length) log.appendChild(hint("Noch keine Nachrichten."));
  log.scrollTop = atBottom ? log.scrollHeight : kept;
}

async function send(text) {
  await api("/api/send", { as: state.who, chat: state.chat, text, reply_to: state.replyTo });
  cancelReply();
  setTimeout(refresh, 300);
}

$("who").onchange = () => choose($("who").value === "" ? null : Number($("who").value));
$("back").onclick = () => document.body.classList.remove("show-chat");
$("start").onclick = () => { document.body.classList.remove("can-start"); send("/start"); };
$("replying").onclick = cancelReply;
for (const button of welcome.querySelectorAll("button[data-be]")) {
  button.onclick = () => { choose(Number(button.dataset.be)); openChat(chatsOf(state.who)[0]); };
}
$("compose").onsubmit = async (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (state.chat === null) { toast(state.who === null ? "Wähle zuerst, wer du bist." : "Wähle zuerst einen Chat."); return; }
  if (!text) return;
  $("text").value = "";
  await send(text);
};
for (const button of document.querySelectorAll(".time button")) {
  button.onclick = async () => {
    button.disabled = true;
    try {
      const result = await api("/api/time", { minutes: Number(button.dataset.minutes) });
      const moments = result.moments === 1 ? "1 fälliger Zeitpunkt" : `${result.moments} fällige Zeitpunkte`;
      toast(`⏩ ${button.textContent}: ${moments}, jeder zu seiner Zeit`);
    } finally { button.disabled = false; }
    loadWorld();
    refresh();
  };
}
loadWorld().then(() => setInterval(() => { refresh(); loadWorld(); }, 1000));
