/*
 * Trackside live debugger page.
 *
 * Every string that comes from an event is put into the page with
 * textContent, never as HTML. Numbers keep their source text (JsonNumber), so
 * integers beyond 2^53 show every digit.
 */
"use strict";

const MAX_ROWS = 300;

/* JSON with exact numbers */

class JsonNumber {
  constructor(source) { this.source = source; }
  toString() { return this.source; }
}

function parseExact(text) {
  return JSON.parse(text, function (key, value, context) {
    if (typeof value === "number" && context && typeof context.source === "string") {
      return new JsonNumber(context.source);
    }
    return value;
  });
}

/* Paths, written the way the server writes problem paths */

function joinPath(parent, key) {
  if (typeof key === "number") return parent + "[" + key + "]";
  if (key === "" || /[.\[\]]/.test(key)) return parent + "[" + JSON.stringify(key) + "]";
  return parent ? parent + "." + key : key;
}

/* Pretty JSON as lines, each knowing its path */

function jsonLines(value, path, indent, keyLabel, trailingComma, out) {
  const pad = "  ".repeat(indent);
  const label = keyLabel === null ? "" : JSON.stringify(keyLabel) + ": ";
  const comma = trailingComma ? "," : "";
  if (Array.isArray(value)) {
    if (!value.length) { out.push({ path, text: pad + label + "[]" + comma }); return; }
    out.push({ path, text: pad + label + "[" });
    value.forEach((child, i) => jsonLines(child, joinPath(path, i), indent + 1, null, i < value.length - 1, out));
    out.push({ path, text: pad + "]" + comma });
  } else if (value !== null && typeof value === "object" && !(value instanceof JsonNumber)) {
    const keys = Object.keys(value);
    if (!keys.length) { out.push({ path, text: pad + label + "{}" + comma }); return; }
    out.push({ path, text: pad + label + "{" });
    keys.forEach((key, i) => jsonLines(value[key], joinPath(path, key), indent + 1, key, i < keys.length - 1, out));
    out.push({ path, text: pad + "}" + comma });
  } else {
    const shown = value instanceof JsonNumber ? value.source : JSON.stringify(value);
    out.push({ path, text: pad + label + shown + comma });
  }
  return out;
}

/* Rendering an event */

function problemPageUrl(template, code) {
  return template.replace("CODE", encodeURIComponent(code));
}

function renderProblems(list, problems, problemPage) {
  list.replaceChildren();
  if (!problems.length) {
    const li = document.createElement("li");
    li.className = "ok";
    li.textContent = "No problems.";
    list.append(li);
    return;
  }
  for (const problem of problems) {
    const li = document.createElement("li");
    li.className = "sev-" + problem.severity;
    const code = document.createElement("a");
    code.href = problemPageUrl(problemPage, problem.code);
    code.textContent = problem.code;
    const where = document.createElement("code");
    where.textContent = problem.path || "(message)";
    const text = document.createElement("span");
    text.textContent = " " + problem.message;
    li.append(problem.severity + " ", code, " at ", where, text);
    list.append(li);
  }
}

function renderPayload(pre, payload, problems) {
  const flagged = new Map();
  for (const problem of problems) {
    const worst = flagged.get(problem.path);
    if (!worst || rank(problem.severity) > rank(worst)) flagged.set(problem.path, problem.severity);
  }
  pre.replaceChildren();
  for (const line of jsonLines(payload, "", 0, null, false, [])) {
    const span = document.createElement("span");
    span.className = "line";
    span.textContent = line.text + "\n";
    span.dataset.path = line.path;
    if (flagged.has(line.path) && line.path !== "" && !/[}\]],?$/.test(line.text.trim()) ) {
      span.classList.add("flag", "sev-" + flagged.get(line.path));
    }
    pre.append(span);
  }
}

function rank(severity) {
  return { info: 1, warning: 2, error: 3 }[severity] || 0;
}

function showEvent(item, elements, pages) {
  elements.title.textContent = item.type + " " + (item.name || "");
  elements.permalink.href = pages.eventPage.replace(/0\/$/, item.id + "/");
  renderProblems(elements.problems, item.problems, pages.problemPage);
  renderPayload(elements.payload, item.payload, item.problems);
  elements.inspector.hidden = false;
}

/* The live stream */

function websocketUrl() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return scheme + "//" + window.location.host + "/ws/debugger/";
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function eventRow(item, onOpen) {
  const tr = document.createElement("tr");
  tr.tabIndex = 0;
  tr.dataset.id = item.id;
  const badge = cell(item.problems.length ? String(item.problems.length) : "");
  if (item.severity) badge.className = "badge sev-" + item.severity;
  tr.append(
    cell(item.type),
    cell(item.name),
    cell(item.user_id || item.anonymous_id),
    cell(item.source),
    cell(item.received_at.replace("T", " ").replace("Z", "")),
    badge,
  );
  tr.addEventListener("click", () => onOpen(item));
  tr.addEventListener("keydown", (event) => { if (event.key === "Enter") onOpen(item); });
  return tr;
}

function rejectionRow(item) {
  const tr = document.createElement("tr");
  tr.className = "rejected";
  tr.append(
    cell("rejected"),
    cell(item.code),
    cell(item.message),
    cell(item.source),
    cell(item.received_at.replace("T", " ").replace("Z", "")),
    cell(""),
  );
  return tr;
}

function startLive(root) {
  const elements = {
    rows: document.getElementById("rows"),
    empty: document.getElementById("empty"),
    status: document.getElementById("status"),
    inspector: document.getElementById("inspector"),
    title: document.getElementById("inspector-title"),
    permalink: document.getElementById("inspector-permalink"),
    problems: document.getElementById("inspector-problems"),
    payload: document.getElementById("inspector-payload"),
  };
  const pages = { eventPage: root.dataset.eventPage, problemPage: root.dataset.problemPage };
  const seen = new Set();
  let lastId = null;
  let socket = null;
  let pending = [];
  let scheduled = false;

  const open = (item) => showEvent(item, elements, pages);

  function flush() {
    scheduled = false;
    const batch = pending;
    pending = [];
    let acked = 0;
    for (const frame of batch) {
      if (frame.type === "event") {
        if (!frame.backfill) acked += 1;
        if (seen.has(frame.event.id)) continue;
        seen.add(frame.event.id);
        lastId = Math.max(lastId || 0, frame.event.id);
        elements.rows.prepend(eventRow(frame.event, open));
      } else if (frame.type === "rejection") {
        elements.rows.prepend(rejectionRow(frame.rejection));
      }
    }
    while (elements.rows.children.length > MAX_ROWS) elements.rows.lastElementChild.remove();
    elements.empty.hidden = elements.rows.children.length > 0;
    if (acked && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "ack", count: acked }));
    }
  }

  function receive(frame) {
    if (frame.type === "event" || frame.type === "rejection") {
      pending.push(frame);
      if (!scheduled) { scheduled = true; requestAnimationFrame(flush); }
    } else if (frame.type === "hello") {
      socket.send(JSON.stringify({ type: "subscribe", filters: {}, after_id: lastId, backfill: 100 }));
    } else if (frame.type === "skipped") {
      elements.status.textContent = "Live · " + frame.count + " events skipped (reload to see them)";
    } else if (frame.type === "backfill_done") {
      elements.status.textContent = "Live";
    }
  }

  function connect() {
    elements.status.textContent = "Connecting…";
    socket = new WebSocket(websocketUrl());
    socket.addEventListener("message", (message) => receive(parseExact(message.data)));
    socket.addEventListener("close", () => {
      elements.status.textContent = "Disconnected; reconnecting…";
      setTimeout(connect, 1000);
    });
  }

  connect();
}

function startPermalink(root) {
  const item = parseExact(JSON.parse(document.getElementById("event-item").textContent));
  renderProblems(document.getElementById("inspector-problems"), item.problems, root.dataset.problemPage);
  renderPayload(document.getElementById("inspector-payload"), item.payload, item.problems);
}

document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("live");
  if (live) startLive(live);
  const permalink = document.getElementById("event-page");
  if (permalink) startPermalink(permalink);
});
