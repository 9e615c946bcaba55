/*
 * Small DOM helpers. Text always goes in through textContent, so a string
 * from an event can never become markup.
 */

/**
 * Create an element. `options` may hold className, text, title, attrs (set
 * with setAttribute, so never event handlers from data), dataset and on
 * (event listeners). Children are nodes or strings (added as text).
 */
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  if (options.title) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const [name, value] of Object.entries(options.dataset || {})) node.dataset[name] = value;
  for (const [name, handler] of Object.entries(options.on || {})) node.addEventListener(name, handler);
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Text for screen readers only. */
export function hiddenText(text) {
  return el("span", { className: "visually-hidden", text });
}

function twoDigits(number) {
  return number < 10 ? "0" + number : String(number);
}

/**
 * Format an ISO instant as local 24-hour wall time with milliseconds, e.g.
 * 14:03:07.215. Plain arithmetic instead of Intl, because every row calls it.
 */
export function localTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const milliseconds = String(date.getMilliseconds()).padStart(3, "0");
  return twoDigits(date.getHours()) + ":" + twoDigits(date.getMinutes()) + ":" + twoDigits(date.getSeconds()) + "." + milliseconds;
}

/** Format an ISO instant as a local date and time for detail views. */
export function localDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleDateString() + " " + localTime(iso);
}

const numberFormat = new Intl.NumberFormat();

export function formatCount(count) {
  return numberFormat.format(count);
}

export function plural(count, singular, pluralForm) {
  return formatCount(count) + " " + (count === 1 ? singular : pluralForm);
}

/** Read a JSON object that a template wrote with Django's json_script. */
export function readJsonScript(id, fallback = {}) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : fallback;
}
