/*
 * The DOM rows of the stream: one per event, rejection or notice. Rows are
 * ARIA table rows made of divs, so CSS can skip the layout and paint of rows
 * scrolled out of view (content-visibility), which a <table> does not allow.
 * Every string from an event goes in as text.
 */
import { el, hiddenText, localTime, plural } from "./dom.js";
import { eventTitle, typePill } from "./labels.js";

const SEVERITY_SYMBOL = { error: "✕", warning: "!", info: "i" };

function cell(text, className = "", title = "") {
  return el("div", { className: "cell " + className, text, title: title || undefined, attrs: { role: "cell" } });
}

function problemBadge(item) {
  const node = cell("", "col-problems");
  if (!item.problem_count) return node;
  const severity = item.severity || "info";
  const count = plural(item.problem_count, "problem", "problems");
  node.append(el("span", { className: "badge sev-" + severity, title: count + ", worst: " + severity },
    el("span", { className: "symbol", text: SEVERITY_SYMBOL[severity] || "?", attrs: { "aria-hidden": "true" } }),
    String(item.problem_count),
    hiddenText(" " + count + ", worst is " + severity),
  ));
  return node;
}

function userCell(item) {
  if (item.user_id && !item.user_id.trim()) return cell(JSON.stringify(item.user_id), "col-user mono muted", "a blank userId");
  if (item.user_id) return cell(item.user_id, "col-user mono", "userId " + item.user_id);
  if (item.anonymous_id) {
    const node = cell("", "col-user mono anonymous", "anonymousId " + item.anonymous_id);
    node.append(el("span", { className: "anon-label", text: "anon " }), item.anonymous_id);
    return node;
  }
  return cell("—", "col-user muted", "no userId or anonymousId");
}

function nameCell(item) {
  const node = cell(eventTitle(item), "col-name" + (item.name ? "" : " muted"), item.name || "");
  if (item.duplicate_count) {
    const retries = plural(item.duplicate_count, "identical retry", "identical retries") + " counted";
    node.append(el("span", { className: "retries", text: " ×" + (item.duplicate_count + 1), title: retries }));
  }
  return node;
}

function timeCell(iso) {
  return cell(localTime(iso), "col-time mono", iso);
}

function row(className, ...cells) {
  return el("div", { className: "row " + className, attrs: { role: "row", tabindex: "-1" } }, ...cells);
}

export function eventRow(item) {
  const node = row("row-event",
    el("div", { className: "cell col-type", attrs: { role: "cell" } }, typePill(item.type)),
    nameCell(item),
    userCell(item),
    cell(item.source, "col-source"),
    timeCell(item.received_at),
    problemBadge(item),
  );
  if (item.severity) node.classList.add("has-" + item.severity);
  return node;
}

export function rejectionRow(item) {
  return row("row-rejection",
    el("div", { className: "cell col-type", attrs: { role: "cell" } }, typePill("rejected")),
    cell(item.code, "col-name mono"),
    cell(item.message, "col-user reason", item.message),
    cell(item.source, "col-source"),
    timeCell(item.received_at),
    cell("", "col-problems"),
  );
}

export function noticeRow(item, onLoad) {
  const label = item.loading ? "Loading…" : "Load them from history";
  const button = el("button", { className: "link-button", text: label, attrs: { type: "button", disabled: item.loading || !item.reload } });
  button.addEventListener("click", () => onLoad(item));
  const json = item.reload ? el("a", { className: "json-link", text: "JSON", attrs: { href: item.reload, target: "_blank", rel: "noopener" } }) : null;
  const node = el("div", { className: "row row-notice", attrs: { role: "row" } }, el("div", { className: "cell", attrs: { role: "cell" } },
    el("span", { className: "notice-symbol", text: "⚠", attrs: { "aria-hidden": "true" } }),
    " " + item.text + " ", item.reload ? button : null, json));
  return node;
}
