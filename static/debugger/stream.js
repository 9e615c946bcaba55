/*
 * The stream table: the newest `maxRows` entries (events, rejections and
 * notices of events the page did not receive), ordered by received time,
 * then by id, newest first.
 *
 * Only the entries near the top of the view have DOM rows: under a flood
 * most new rows would be pushed out of sight before anyone saw them, and
 * building them is most of the page's work. A spacer below stands for the
 * rest, and scrolling down renders more of them, up to all `maxRows`.
 */
import { el } from "./dom.js";
import { eventRow, noticeRow, rejectionRow } from "./rows.js";

// Height of one row in pixels (32 plus its border), as debugger.css draws it.
const ROW_HEIGHT = 33;
// Rows rendered beyond the visible ones, and added each time the view nears the last rendered row.
const RENDER_MARGIN = 20;
const RENDER_STEP = 50;

function pad(id) {
  return String(id).padStart(16, "0");
}

/** Sort key: received time, then kind and id, so that descending string order is newest first. */
export function entryFor(kind, item) {
  const marker = { rejection: "r", event: "e" }[kind];
  return { kind, item, key: item.received_at + "|" + marker + pad(item.id), row: null };
}

export class StreamView {
  /** `container` contains the rows; `scroller` is the element that scrolls them. */
  constructor(container, scroller, { maxRows, onOpen, onLoadNotice }) {
    this.container = container;
    this.scroller = scroller;
    this.maxRows = maxRows;
    this.onOpen = onOpen;
    this.onLoadNotice = onLoadNotice;
    this.entries = [];
    this.byKey = new Map();
    this.eventEntries = new Map();
    this.selectedKey = null;
    this.noticeCount = 0;
    this.spacer = el("div", { className: "stream-spacer", attrs: { "aria-hidden": "true" } });
    container.after(this.spacer);
    this.renderLimit = this.baseLimit();
    container.addEventListener("click", (event) => this.clickRow(event));
    scroller.addEventListener("scroll", () => this.scrolled(), { passive: true });
  }

  /** Rows enough to fill the view, plus a margin. */
  baseLimit() {
    return Math.ceil((this.scroller.clientHeight || 900) / ROW_HEIGHT) + RENDER_MARGIN;
  }

  /** Render more rows as the view nears the last rendered one; back at the top, render only a screenful. */
  scrolled() {
    const top = this.scroller.scrollTop;
    if (top === 0) {
      if (this.renderLimit > this.baseLimit()) {
        this.renderLimit = this.baseLimit();
        this.render();
      }
      return;
    }
    const renderedBottom = this.container.offsetTop + this.container.offsetHeight;
    if (top + this.scroller.clientHeight > renderedBottom - RENDER_MARGIN * ROW_HEIGHT && this.renderLimit < this.entries.length) {
      this.renderLimit += RENDER_STEP;
      this.render();
    }
  }

  get size() { return this.entries.length; }

  clear() {
    this.entries = [];
    this.byKey.clear();
    this.eventEntries.clear();
    this.selectedKey = null;
    this.container.replaceChildren();
    this.renderLimit = this.baseLimit();
    this.spacer.style.height = "0px";
  }

  /** Add a notice above the current newest entry. */
  notice(text, reload) {
    const top = this.entries.length ? this.entries[0].key : new Date().toISOString();
    this.noticeCount += 1;
    const entry = { kind: "notice", item: { text, reload, loading: false }, key: top + "|z" + pad(this.noticeCount), row: null };
    this.add([entry]);
    return entry;
  }

  /**
   * Merge new entries (any order), keep the newest `maxRows` and update the
   * DOM. An entry already shown, or twice in `newEntries`, is added once: an
   * event stored during a backfill arrives both from history and live.
   */
  add(newEntries) {
    const keys = new Set();
    const fresh = newEntries.filter((entry) => {
      if (this.byKey.has(entry.key) || keys.has(entry.key)) return false;
      keys.add(entry.key);
      return true;
    });
    if (!fresh.length) return;
    fresh.sort(newestFirst);
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
    const survivors = [];
    let unpinned = 0;
    for (const entry of this.entries) {
      if (entry.pinned || unpinned < this.maxRows) {
        survivors.push(entry);
        if (!entry.pinned) unpinned += 1;
      } else {
        this.forget(entry);
      }
    }
    this.entries = survivors;
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

  /** Give the first `renderLimit` entries rows, in order, and drop the rows of the others. */
  render() {
    const limit = Math.min(this.renderLimit, this.entries.length);
    for (let index = this.entries.length - 1; index >= limit; index -= 1) {
      const entry = this.entries[index];
      if (entry.row) {
        entry.row.remove();
        entry.row = null;
      }
    }
    for (let index = limit - 1; index >= 0; index -= 1) {
      const entry = this.entries[index];
      if (entry.row) continue;
      entry.row = this.createRow(entry);
      const next = index + 1 < limit ? this.entries[index + 1].row : null;
      this.container.insertBefore(entry.row, next);
    }
    this.spacer.style.height = (this.entries.length - limit) * ROW_HEIGHT + "px";
  }

  /** Make sure the entry at `index` has a row, rendering down to it if needed. */
  renderThrough(index) {
    if (index < this.renderLimit) return;
    this.renderLimit = index + RENDER_MARGIN;
    this.render();
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
    const row = event.target.closest(".row[data-key]");
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
    this.renderThrough(this.entries.indexOf(entry));
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

function newestFirst(a, b) {
  if (a.key === b.key) return 0;
  return a.key < b.key ? 1 : -1;
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
