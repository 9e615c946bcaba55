/*
 * The payload inspector, shared by the live page and the permalink page: the
 * SDK call and the stored JSON, each with problems marked on their lines,
 * the problem list beside them, and copy actions.
 */
import { el, localDateTime, plural } from "./dom.js";
import { eventTitle, typePill } from "./labels.js";
import { renderCode } from "./codeview.js";
import { jsonLines, stringifyExact } from "./exactjson.js";
import { renderProblems } from "./problems.js";
import { copyText, curlCommand } from "./replay.js";
import { sdkCallLines } from "./sdkcall.js";

const VIEW_KEY = "trackside.inspector.view";
const VIEWS = { pretty: "SDK call", raw: "Stored JSON" };

function fact(label, value, className = "") {
  if (value === null || value === undefined || value === "") return null;
  return el("div", { className: "fact" }, el("dt", { text: label }), el("dd", { className, text: value }));
}

function savedView() {
  try { return localStorage.getItem(VIEW_KEY) === "raw" ? "raw" : "pretty"; } catch (error) { return "pretty"; }
}

export class Inspector {
  /**
   * `pages` contains URL templates: eventPage (with the id 0) and problemPage
   * (with CODE); `writeKeys` maps source names to write keys for cURL.
   */
  constructor(root, { pages, writeKeys = {}, onClose = null }) {
    this.root = root;
    this.pages = pages;
    this.writeKeys = writeKeys;
    this.onClose = onClose;
    this.view = savedView();
    this.item = null;
    this.lineOf = () => null;
    this.showPlaceholder();
  }

  permalink(id) {
    return this.pages.eventPage.replace(/\/0\/$/, "/" + id + "/");
  }

  showPlaceholder() {
    this.item = null;
    this.root.replaceChildren(el("div", { className: "placeholder" },
      el("p", { className: "placeholder-title", text: "Select an event to inspect its payload." }),
      el("p", { text: "Keys: j and k move, Enter opens, p pauses, / searches, Esc closes." }),
    ));
  }

  showError(message) {
    this.root.replaceChildren(el("div", { className: "placeholder" }, el("p", { className: "error-text", text: message })));
  }

  /** Show a stream row's summary while the full payload loads. */
  showLoading(summary) {
    this.item = null;
    this.root.replaceChildren(this.eventHead(summary, false), this.eventFacts(summary),
      el("p", { className: "loading", text: "Loading payload…" }));
    this.root.setAttribute("aria-busy", "true");
  }

  showEvent(item) {
    this.item = item;
    this.root.removeAttribute("aria-busy");
    this.code = el("div", { className: "code-lines", attrs: { role: "tabpanel", tabindex: "0" } });
    this.note = el("p", { className: "view-note" });
    this.problemList = el("ul", { className: "problem-list" });
    const panel = el("aside", { className: "problem-panel", attrs: { "aria-label": "Problems" } },
      el("h3", { text: item.problems.length ? plural(item.problems.length, "problem", "problems") : "Problems" }),
      this.problemList,
    );
    this.tabs = this.viewTabs();
    this.root.replaceChildren(
      this.eventHead(item, true),
      this.eventFacts(item),
      el("div", { className: "inspector-body" }, el("div", { className: "code-column" }, this.tabs, this.note, this.code), panel),
    );
    renderProblems(this.problemList, item.problems, this.pages.problemPage, (problem) => this.showProblem(problem));
    this.renderView();
  }

  showRejection(item) {
    this.item = null;
    this.root.removeAttribute("aria-busy");
    const where = item.index === null ? "the whole request" : "batch item " + item.index;
    this.root.replaceChildren(
      el("header", { className: "inspector-head" }, typePill("rejected"), el("h2", { className: "title", text: item.code }), this.closeButton()),
      el("dl", { className: "facts" },
        fact("Source", item.source),
        fact("Received", localDateTime(item.received_at)),
        fact("Rejected", where),
        fact("Request", item.http_path, "mono"),
        fact("Answered", item.status ? "HTTP " + item.status : null),
        fact("Size", plural(item.size, "byte", "bytes")),
      ),
      el("p", { className: "rejection-message", text: item.message }),
      el("h3", { text: "First bytes as received" }),
      el("pre", { className: "rejection-head", text: item.head || "(empty body)" }),
    );
  }

  closeButton() {
    if (!this.onClose) return null;
    return el("button", {
      className: "icon-button close", text: "×", title: "Close (Esc)",
      attrs: { type: "button", "aria-label": "Close the inspector" }, on: { click: () => this.onClose() },
    });
  }

  eventHead(item, loaded) {
    const actions = el("div", { className: "actions" },
      el("a", { className: "button", text: "Permalink", attrs: { href: this.permalink(item.id) } }),
    );
    if (loaded) {
      actions.append(
        this.copyButton("Copy JSON", () => stringifyExact(item.payload, 2)),
        this.copyButton("Copy as cURL", () => curlCommand(item, window.location.origin, this.writeKeys[item.source])),
      );
    }
    const close = this.closeButton();
    if (close) actions.append(close);
    return el("header", { className: "inspector-head" },
      typePill(item.type), el("h2", { className: "title", text: eventTitle(item) }), actions);
  }

  eventFacts(item) {
    const retries = item.duplicate_count ? plural(item.duplicate_count, "identical retry", "identical retries") : null;
    return el("dl", { className: "facts" },
      fact("Source", item.source),
      fact("Received", localDateTime(item.received_at)),
      fact("userId", item.user_id, "mono"),
      fact("anonymousId", item.anonymous_id, "mono"),
      fact("messageId", item.message_id, "mono"),
      fact("Counted", retries),
    );
  }

  copyButton(label, makeText) {
    const button = el("button", { className: "button", text: label, attrs: { type: "button" } });
    button.addEventListener("click", async () => {
      try {
        await copyText(makeText());
        this.flashButton(button, label, "Copied");
      } catch (error) {
        this.flashButton(button, label, "Copy failed");
      }
    });
    return button;
  }

  flashButton(button, label, text) {
    button.textContent = text;
    button.classList.add("done");
    setTimeout(() => { button.textContent = label; button.classList.remove("done"); }, 1500);
  }

  viewTabs() {
    const tabs = el("div", { className: "tabs", attrs: { role: "tablist", "aria-label": "Payload view" } });
    for (const [view, label] of Object.entries(VIEWS)) {
      tabs.append(el("button", {
        className: "tab", text: label, dataset: { view },
        attrs: { type: "button", role: "tab" },
        on: { click: () => this.setView(view) },
      }));
    }
    return tabs;
  }

  setView(view) {
    this.view = view;
    try { localStorage.setItem(VIEW_KEY, view); } catch (error) { /* storage disabled: keep it for this page */ }
    this.renderView();
  }

  renderView() {
    const item = this.item;
    if (!item) return;
    const pretty = this.view === "pretty" ? sdkCallLines(item.payload) : null;
    const view = pretty ? "pretty" : "raw";
    for (const tab of this.tabs.children) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
    const lines = pretty || jsonLines(item.payload);
    this.code.dataset.view = view;
    const { unplaced, lineOf } = renderCode(this.code, lines, item.problems, { rootFallback: view === "raw" });
    this.lineOf = lineOf;
    this.note.textContent = this.viewNote(view, unplaced);
    this.note.hidden = !this.note.textContent;
  }

  viewNote(view, unplaced) {
    if (this.view === "pretty" && view === "raw") return "This message's type is not one of Segment's calls, so it is shown as stored.";
    if (unplaced.length) {
      return plural(unplaced.length, "problem is", "problems are") + " on fields the SDK sets itself; the Stored JSON view marks them.";
    }
    return "";
  }

  /** Scroll to a problem's line, switching to the stored JSON when the SDK call does not show it. */
  showProblem(problem) {
    let line = this.lineOf(problem);
    if (!line && this.view !== "raw") {
      this.setView("raw");
      line = this.lineOf(problem);
    }
    if (!line) return;
    line.scrollIntoView({ block: "center" });
    line.classList.remove("pulse");
    void line.offsetWidth;
    line.classList.add("pulse");
  }
}
