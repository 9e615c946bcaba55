/*
 * The stream table: entries newest first, at most `maxRows` of them in the
 * DOM. Entries are events, rejections and notices (events the page did not
 * receive), ordered by received time, then by id.
 */
import { el, hiddenText, localTime, plural } from "./dom.js";
import { eventTitle, typePill } from "./labels.js";

const SEVERITY_SYMBOL = { error: "✕", warning: "!", info: "i" };

function pad(id) {
  return String(id).padStart(16, "0");
}

/** Sort key: received time, then kind and id, so that descending string order is newest first. */
export function entryFor(kind, item) {
  const marker = { rejection: "r", event: "e" }[kind];
  return { kind, item, key: item.received_at + "|" + marker + pad(item.id), row: null };
}

function cell(text, className = "", title = "") {
  return el("td", { className, text, title: title || undefined });
}

function problemBadge(item) {
  const td = el("td", { className: "col-problems" });
  if (!item.problem_count) return td;
  const severity = item.severity || "info";
  td.append(el("span", { className: "badge sev-" + severity, title: plural(item.problem_count, "problem", "problems") + ", worst: " + severity },
    el("span", { className: "symbol", text: SEVERITY_SYMBOL[severity] || "?", attrs: { "aria-hidden": "true" } }),
    String(item.problem_count),
    hiddenText(" " + plural(item.problem_count, "problem", "problems") + ", worst is " + severity),
  ));
  return td;
}

function userCell(item) {
  if (item.user_id && !item.user_id.trim()) return cell(JSON.stringify(item.user_id), "col-user mono muted", "a blank userId");
  if (item.user_id) return cell(item.user_id, "col-user mono", "userId " + item.user_id);
  if (item.anonymous_id) {
    const td = cell("", "col-user mono anonymous", "anonymousId " + item.anonymous_id);
    td.append(el("span", { className: "anon-label", text: "anon " }), item.anonymous_id);
    return td;
  }
  return cell("—", "col-user muted", "no userId or anonymousId");
}

function nameCell(item) {
  const td = cell(eventTitle(item), "col-name" + (item.name ? "" : " muted"), item.name || "");
  if (item.duplicate_count) td.append(el("span", { className: "retries", text: " ×" + (item.duplicate_count + 1), title: plural(item.duplicate_count, "identical retry", "identical retries") + " counted" }));
  return td;
}

function timeCell(iso) {
  return cell(localTime(iso), "col-time mono", iso);
}

function eventRow(item) {
  const tr = el("tr", { className: "row-event", attrs: { tabindex: "-1" } },
    el("td", { className: "col-type" }, typePill(item.type)),
    nameCell(item),
    userCell(item),
    cell(item.source, "col-source"),
    timeCell(item.received_at),
    problemBadge(item),
  );
  if (item.severity) tr.classList.add("has-" + item.severity);
  return tr;
}

function rejectionRow(item) {
  return el("tr", { className: "row-rejection", attrs: { tabindex: "-1" } },
    el("td", { className: "col-type" }, typePill("rejected")),
    cell(item.code, "col-name mono"),
    cell(item.message, "col-user reason", item.message),
    cell(item.source, "col-source"),
    timeCell(item.received_at),
    el("td", { className: "col-problems" }, el("span", { className: "badge sev-error", text: "rejected" })),
  );
}

function noticeRow(item, onLoad) {
  const button = el("button", { className: "link-button", text: item.loading ? "Loading…" : "Load them from history", attrs: { type: "button", disabled: item.loading || !item.reload } });
  button.addEventListener("click", () => onLoad(item));
  const json = item.reload ? el("a", { className: "json-link", text: "JSON", attrs: { href: item.reload, target: "_blank", rel: "noopener" } }) : null;
  return el("tr", { className: "row-notice" }, el("td", { attrs: { colspan: "6" } },
    el("span", { className: "notice-symbol", text: "⚠", attrs: { "aria-hidden": "true" } }),
    " " + item.text + " ", item.reload ? button : null, json));
}

export class StreamView {
  constructor(tbody, { maxRows, onOpen, onLoadNotice }) {
    this.tbody = tbody;
    this.maxRows = maxRows;
    this.onOpen = onOpen;
    this.onLoadNotice = onLoadNotice;
    this.entries = [];
    this.byKey = new Map();
    this.eventEntries = new Map();
    this.selectedKey = null;
    this.noticeCount = 0;
    tbody.addEventListener("click", (event) => this.clickRow(event));
  }

  get size() { return this.entries.length; }

  clear() {
    this.entries = [];
    this.byKey.clear();
    this.eventEntries.clear();
    this.selectedKey = null;
    this.tbody.replaceChildren();
  }

  /** Add a notice above the current newest entry. */
  notice(text, reload) {
    const top = this.entries.length ? this.entries[0].key : new Date().toISOString();
    this.noticeCount += 1;
    const entry = { kind: "notice", item: { text, reload, loading: false }, key: top + "|z" + pad(this.noticeCount), row: null };
    this.add([entry]);
    return entry;
  }

  /** Merge new entries (any order), drop duplicates, keep the newest `maxRows` and update the DOM. */
  add(newEntries) {
    const fresh = newEntries.filter((entry) => !this.byKey.has(entry.key));
    if (!fresh.length) return;
    fresh.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    this.entries = mergeDescending(this.entries, fresh);
    for (const entry of fresh) this.remember(entry);
    this.trim();
    this.render();
  }

  remember(entry) {
    this.byKey.set(entry.key, entry);
    if (entry.kind === "event") this.eventEntries.set(entry.item.id, entry);
  }

  /** Drop the oldest entries beyond `maxRows`; pinned entries (loaded from history) stay. */
  trim() {
    if (this.entries.length <= this.maxRows) return;
    const kept = [];
    let unpinned = 0;
    for (const entry of this.entries) {
      if (entry.pinned || unpinned < this.maxRows) {
        kept.push(entry);
        if (!entry.pinned) unpinned += 1;
      } else {
        this.forget(entry);
      }
    }
    this.entries = kept;
  }

  forget(entry) {
    this.byKey.delete(entry.key);
    if (entry.kind === "event") this.eventEntries.delete(entry.item.id);
    if (entry.row) entry.row.remove();
    if (entry.key === this.selectedKey) this.selectedKey = null;
  }

  /** Add entries loaded from history and keep them until `unpin`, however old they are. */
  addPinned(entries) {
    for (const entry of entries) entry.pinned = true;
    const known = entries.filter((entry) => this.byKey.has(entry.key));
    for (const entry of known) this.byKey.get(entry.key).pinned = true;
    this.add(entries);
  }

  /** Release pinned entries, so the row limit applies to them again. */
  unpin() {
    for (const entry of this.entries) entry.pinned = false;
    this.trim();
  }

  render() {
    for (let index = this.entries.length - 1; index >= 0; index -= 1) {
      const entry = this.entries[index];
      if (entry.row) continue;
      entry.row = this.createRow(entry);
      const next = this.entries[index + 1];
      this.tbody.insertBefore(entry.row, next ? next.row : null);
    }
  }

  createRow(entry) {
    let row;
    if (entry.kind === "event") row = eventRow(entry.item);
    else if (entry.kind === "rejection") row = rejectionRow(entry.item);
    else row = noticeRow(entry.item, (item) => this.onLoadNotice(entry, item));
    row.dataset.key = entry.key;
    if (entry.kind !== "notice") {
      row.dataset.id = String(entry.item.id);
      row.dataset.receivedAt = entry.item.received_at;
    }
    if (entry.key === this.selectedKey) this.markSelected(row, true);
    return row;
  }

  /** Re-render one entry's row after its item changed. */
  refresh(entry) {
    if (!entry.row) return;
    const old = entry.row;
    entry.row = this.createRow(entry);
    old.replaceWith(entry.row);
  }

  /** Count identical retries on an event that is on screen. */
  countDuplicate(eventId, count) {
    const entry = this.eventEntries.get(eventId);
    if (!entry) return;
    entry.item = { ...entry.item, duplicate_count: (entry.item.duplicate_count || 0) + count };
    this.refresh(entry);
  }

  clickRow(event) {
    if (event.target.closest("button, a")) return;
    const row = event.target.closest("tr[data-key]");
    if (!row) return;
    const entry = this.byKey.get(row.dataset.key);
    if (entry && entry.kind !== "notice") this.select(entry, true);
  }

  markSelected(row, selected) {
    row.classList.toggle("selected", selected);
    row.setAttribute("aria-selected", String(selected));
    row.tabIndex = selected ? 0 : -1;
  }

  select(entry, open) {
    const previous = this.selectedKey && this.byKey.get(this.selectedKey);
    if (previous && previous.row) this.markSelected(previous.row, false);
    this.selectedKey = entry.key;
    if (entry.row) {
      this.markSelected(entry.row, true);
      entry.row.focus({ preventScroll: true });
      entry.row.scrollIntoView({ block: "nearest" });
    }
    if (open) this.onOpen(entry);
  }

  /** Move the selection by `step` rows (positive is older); notices are skipped. */
  move(step) {
    const selectable = this.entries.filter((entry) => entry.kind !== "notice");
    if (!selectable.length) return;
    const current = selectable.findIndex((entry) => entry.key === this.selectedKey);
    const next = current < 0 ? 0 : Math.min(selectable.length - 1, Math.max(0, current + step));
    this.select(selectable[next], false);
  }

  openSelected() {
    const entry = this.selectedKey && this.byKey.get(this.selectedKey);
    if (entry) this.onOpen(entry);
  }
}

function mergeDescending(left, right) {
  const merged = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) merged.push(left[i].key >= right[j].key ? left[i++] : right[j++]);
  while (i < left.length) merged.push(left[i++]);
  while (j < right.length) merged.push(right[j++]);
  return merged;
}
