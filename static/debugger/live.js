/*
 * The live debugger page: subscribes to the websocket with the URL's filters,
 * shows every event newest first, and opens payloads on demand.
 *
 * Frames are collected as they arrive and drawn once per animation frame (or
 * every 250 ms when the tab is hidden), so a burst of events costs one DOM
 * update. Event frames are acknowledged once handled; the server stops
 * sending beyond its window and reports how many events were skipped.
 */
import { LiveConnection } from "./connection.js";
import { el, formatCount, plural, readJsonScript } from "./dom.js";
import { fetchItem, fetchJson, isSignedIn } from "./api.js";
import { plainItem } from "./exactjson.js";
import { FilterForm } from "./filters.js";
import { Inspector } from "./inspector.js";
import { bindKeys } from "./keyboard.js";
import { RateMeter } from "./rate.js";
import { skippedText, widenRange } from "./skipped.js";
import { StreamView, entryFor } from "./stream.js";

// Hidden tabs get no animation frames; a timer draws at least this often.
const FLUSH_FALLBACK_MS = 250;
const MIN_FLUSH_INTERVAL_MS = 100;
const ACK_EVERY = 50;
const CACHED_PAYLOADS = 50;

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setAttribute(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

class LivePage {
  constructor(root) {
    const config = readJsonScript("debugger-config");
    this.config = config;
    this.eventsUrl = root.dataset.eventsUrl;
    this.loginUrl = root.dataset.loginUrl;
    this.elements = {
      status: document.getElementById("status"),
      statusText: document.getElementById("status-text"),
      counts: document.getElementById("counts"),
      pause: document.getElementById("pause"),
      empty: document.getElementById("empty"),
      scroller: document.getElementById("stream-scroller"),
    };
    this.stream = new StreamView(document.getElementById("rows"), this.elements.scroller, {
      maxRows: config.rows,
      onOpen: (entry) => this.open(entry),
      onLoadNotice: (entry, item) => this.loadSkipped(entry, item),
    });
    this.inspector = new Inspector(document.getElementById("inspector"), {
      pages: { eventPage: root.dataset.eventPage, problemPage: root.dataset.problemPage },
      writeKeys: config.writeKeys,
      onClose: () => this.closeInspector(),
    });
    this.filters = new FilterForm(document.getElementById("filters"), { onChange: (filters) => this.changeFilters(filters) });
    this.rate = new RateMeter(document.getElementById("rate"), document.getElementById("rate-chart"));
    setInterval(() => this.updateCounts(), 1000);
    this.connection = new LiveConnection({
      onFrame: (frame) => this.receive(frame),
      onState: (state, detail) => this.connectionState(state, detail),
      isSignedIn: () => this.isSignedIn(),
    });
    this.payloads = new Map();
    this.pending = [];
    this.pendingNotices = [];
    this.flushScheduled = false;
    this.lastFlush = -Infinity;
    this.unacked = 0;
    this.received = 0;
    this.skipped = 0;
    this.paused = false;
    this.pausedEntries = [];
    this.pausedCount = 0;
    this.resetSubscription();
    this.bindControls();
    this.connection.connect();
  }

  resetSubscription() {
    this.subscription = { answersDue: 0, loaded: false, lastId: null, lastRejectionId: null };
  }

  bindControls() {
    this.elements.pause.addEventListener("click", () => this.togglePause());
    document.getElementById("clear").addEventListener("click", () => this.clearView());
    bindKeys({
      move: (step) => this.stream.move(step),
      open: () => this.stream.openSelected(),
      togglePause: () => this.togglePause(),
      search: () => this.filters.focusSearch(),
      escape: () => this.closeInspector(),
    });
  }

  /* Subscription */

  subscribe() {
    const sub = this.subscription;
    const frame = { type: "subscribe", filters: this.filters.current, summary: true };
    if (sub.loaded) {
      // A reconnect: ask for what was missed instead of a fresh backfill.
      frame.after_id = sub.lastId ?? 0;
      frame.after_rejection_id = sub.lastRejectionId ?? 0;
    } else {
      frame.backfill = this.config.backfill;
    }
    if (this.connection.send(frame)) sub.answersDue += 1;
  }

  changeFilters() {
    this.pending = [];
    this.pendingNotices = [];
    this.stream.clear();
    this.pausedEntries = [];
    this.pausedCount = 0;
    this.resetSubscription();
    this.inspector.showPlaceholder();
    this.updateCounts();
    this.subscribe();
  }

  /* Frames */

  receive(frame) {
    const sub = this.subscription;
    switch (frame.type) {
      case "hello": this.subscribe(); break;
      case "subscribed": sub.answersDue = Math.max(0, sub.answersDue - 1); break;
      case "event": this.receiveEvent(frame); break;
      case "rejection":
        if (sub.answersDue) break;
        sub.lastRejectionId = Math.max(sub.lastRejectionId ?? 0, frame.rejection.id);
        this.queue(entryFor("rejection", frame.rejection), !frame.backfill);
        break;
      case "duplicate": this.stream.countDuplicate(frame.id, frame.count); break;
      case "skipped": if (!sub.answersDue) this.receiveSkipped(frame); break;
      case "backfill_done": this.backfillDone(frame); break;
      case "error": this.showStatus("error", "Server: " + frame.message); break;
      default: break;
    }
  }

  receiveEvent(frame) {
    if (!frame.backfill) {
      this.unacked += 1;
      if (this.unacked >= ACK_EVERY) this.acknowledge();
    }
    // Frames sent before the server's "subscribed" response belong to the previous filters.
    if (this.subscription.answersDue) return;
    const sub = this.subscription;
    sub.lastId = Math.max(sub.lastId ?? 0, frame.event.id);
    this.filters.suggestName(frame.event.name);
    this.queue(entryFor("event", frame.event), !frame.backfill);
  }

  /** Count skipped events; the notice waits for the next redraw, so it lands above the events that came before it. */
  receiveSkipped(frame) {
    this.skipped += frame.count;
    this.pendingNotices.push(frame);
    this.scheduleFlush();
  }

  /** Show a notice for skipped events; one that follows a notice of the same kind adds to it. */
  showSkipped(frame) {
    const top = this.stream.entries[0];
    if (top && top.kind === "notice" && top.item.reason === frame.reason && !top.item.loading && top.item.reload) {
      top.item.count += frame.count;
      top.item.reload = widenRange(top.item.reload, frame.reload);
      top.item.text = skippedText(top.item.count, frame.reason);
      this.stream.refresh(top);
    } else {
      const entry = this.stream.notice(skippedText(frame.count, frame.reason), frame.reload);
      Object.assign(entry.item, { count: frame.count, reason: frame.reason });
    }
  }

  backfillDone(frame) {
    const sub = this.subscription;
    if (sub.answersDue) return;
    sub.loaded = true;
    if (frame.last_id !== null) sub.lastId = Math.max(sub.lastId ?? 0, frame.last_id);
    if (frame.last_rejection_id !== null) sub.lastRejectionId = Math.max(sub.lastRejectionId ?? 0, frame.last_rejection_id);
    this.showStatus("live", "Live");
    this.scheduleFlush();
  }

  acknowledge() {
    if (this.unacked && this.connection.send({ type: "ack", count: this.unacked })) this.unacked = 0;
  }

  queue(entry, live) {
    if (live) {
      this.received += 1;
      this.rate.count(1);
    }
    this.pending.push(entry);
    // While the tab cannot draw, keep only what could ever be shown.
    if (this.pending.length > 4 * this.config.rows) this.pending.splice(0, this.pending.length - 2 * this.config.rows);
    this.scheduleFlush();
  }

  /**
   * Draw pending frames at the next animation frame, but at most once per
   * MIN_FLUSH_INTERVAL_MS: under a flood each redraw then carries many rows,
   * and a quiet stream still shows a single event in the next frame.
   */
  scheduleFlush() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = Math.max(0, this.lastFlush + MIN_FLUSH_INTERVAL_MS - performance.now());
    const run = () => {
      if (!this.flushScheduled) return;
      clearTimeout(fallback);
      this.flush();
    };
    const fallback = setTimeout(run, wait + FLUSH_FALLBACK_MS);
    setTimeout(() => requestAnimationFrame(run), wait);
  }

  flush() {
    this.flushScheduled = false;
    this.lastFlush = performance.now();
    const entries = this.pending;
    const notices = this.pendingNotices;
    this.pending = [];
    this.pendingNotices = [];
    if (this.paused) this.hold(entries);
    else this.stream.add(entries);
    // Notices go into the view even while paused: they are about events nobody sees.
    for (const frame of notices) this.showSkipped(frame);
    this.acknowledge();
    // The counters change with every event; redrawing them once a second (with the rate) is enough.
    if (this.paused || notices.length || this.stream.size < 2) this.updateCounts();
  }

  /* Pause, clear */

  /** Keep entries that arrive while paused: the newest `rows` of them, and a count of all. */
  hold(entries) {
    const pausedKeys = new Set(this.pausedEntries.map((entry) => entry.key));
    const fresh = entries.filter((entry) => {
      if (this.stream.byKey.has(entry.key) || pausedKeys.has(entry.key)) return false;
      pausedKeys.add(entry.key);
      return true;
    });
    this.pausedCount += fresh.length;
    this.pausedEntries.push(...fresh);
    if (this.pausedEntries.length > this.config.rows) {
      this.pausedEntries.sort((a, b) => (a.key < b.key ? 1 : -1));
      this.pausedEntries.length = this.config.rows;
    }
  }

  togglePause() {
    this.paused = !this.paused;
    if (this.elements.status.dataset.state === "live") this.showStatus("live", "Live");
    if (!this.paused) {
      this.stream.unpin();
      this.stream.add(this.pausedEntries);
      this.pausedEntries = [];
      this.pausedCount = 0;
    }
    this.updateCounts();
  }

  clearView() {
    this.stream.clear();
    this.pausedEntries = [];
    this.pausedCount = 0;
    this.updateCounts();
  }

  /* Display */

  connectionState(state, detail) {
    if (state === "connecting") this.showStatus("connecting", this.subscription.loaded ? "Reconnecting…" : "Connecting…");
    else if (state === "open") this.showStatus("connecting", "Loading history…");
    else if (state === "retrying") this.showStatus("offline", "Disconnected · retrying in " + detail + " s");
    else if (state === "forbidden") this.showForbidden();
    else this.showStatus("offline", "Closed");
  }

  showStatus(state, text) {
    this.elements.status.dataset.state = state;
    this.elements.statusText.textContent = state === "live" && this.paused ? text + " · paused" : text;
  }

  showForbidden() {
    this.showStatus("offline", "Signed out · ");
    const next = window.location.pathname + window.location.search;
    this.elements.statusText.append(el("a", { text: "log in again", attrs: { href: this.loginUrl + "?next=" + encodeURIComponent(next) } }));
  }

  /** Update the pause button, counters and empty state; writes only what changed, since each write costs a repaint. */
  updateCounts() {
    const pause = this.elements.pause;
    let label = "Pause";
    if (this.paused) label = this.pausedCount ? "Resume · " + formatCount(this.pausedCount) + " new" : "Resume";
    setText(pause, label);
    setAttribute(pause, "aria-pressed", String(this.paused));
    const parts = this.received ? [plural(this.received, "event", "events") + " since the page opened"] : [];
    if (this.skipped) parts.push(formatCount(this.skipped) + " skipped");
    setText(this.elements.counts, parts.join(" · "));
    const empty = this.stream.size === 0 && this.pausedEntries.length === 0;
    const hidden = !empty || !this.subscription.loaded;
    if (this.elements.empty.hidden !== hidden) this.elements.empty.hidden = hidden;
    setAttribute(this.elements.empty, "data-filtered", String(this.filters.hasFilters()));
  }

  /* Inspector */

  async open(entry) {
    document.body.classList.add("inspecting");
    if (entry.kind === "rejection") {
      this.inspector.showRejection(entry.item);
      return;
    }
    const id = entry.item.id;
    const cached = this.payloads.get(id);
    if (cached) {
      this.inspector.showEvent(cached);
      return;
    }
    this.inspector.showLoading(entry.item);
    this.openId = id;
    try {
      const item = await fetchItem(this.eventsUrl + id + "/");
      this.cachePayload(item);
      if (this.openId === id) this.inspector.showEvent(item);
    } catch (error) {
      if (this.openId === id) this.inspector.showError(error.message);
    }
  }

  closeInspector() {
    this.openId = null;
    document.body.classList.remove("inspecting");
    this.inspector.showPlaceholder();
  }

  cachePayload(item) {
    this.payloads.set(item.id, item);
    if (this.payloads.size > CACHED_PAYLOADS) this.payloads.delete(this.payloads.keys().next().value);
  }

  isSignedIn() {
    return isSignedIn(this.eventsUrl);
  }

  /** Load the events a "skipped" notice stands for; the view pauses so they stay on screen. */
  async loadSkipped(entry, notice) {
    notice.loading = true;
    this.stream.refresh(entry);
    const url = new URL(notice.reload, window.location.origin);
    if (!url.searchParams.has("limit")) url.searchParams.set("limit", String(this.config.rows));
    try {
      const page = await fetchJson(url.pathname + url.search);
      if (!this.paused) this.togglePause();
      this.stream.unpin();
      const items = page.results.map(plainItem);
      for (const item of items) this.cachePayload(item);
      this.stream.addPinned(items.map((item) => entryFor("event", item)));
      notice.text = "Loaded " + plural(items.length, "skipped event", "skipped events") + " (paused; resume to go on)." + (page.next ? " More are older." : "");
      notice.reload = page.next;
    } catch (error) {
      notice.text = error.message;
    }
    notice.loading = false;
    this.stream.refresh(entry);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("live");
  if (root) window.tracksideLive = new LivePage(root);
});
