/*
 * The filter form, kept in step with the page's URL (?source=web&type=track
 * ...), so a filtered view can be bookmarked and shared. The server applies
 * the filters; the names are those of debugger/filters.py.
 */

export const FILTER_NAMES = ["source", "type", "event", "user", "severity", "q"];
const TYPING_DELAY_MS = 350;

export function filtersFromUrl(search = window.location.search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = (params.get(name) || "").trim();
    if (value) filters[name] = value;
  }
  return filters;
}

export function filtersToSearch(filters) {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name]) params.set(name, filters[name]);
  const text = params.toString();
  return text ? "?" + text : "";
}

export function sameFilters(a, b) {
  return FILTER_NAMES.every((name) => (a[name] || "") === (b[name] || ""));
}

export class FilterForm {
  /** `onChange(filters)` runs when the user changes a filter, after typing pauses. */
  constructor(form, { onChange }) {
    this.form = form;
    this.onChange = onChange;
    this.timer = null;
    this.current = filtersFromUrl();
    this.write(this.current);
    form.addEventListener("submit", (event) => { event.preventDefault(); this.commit(); });
    form.addEventListener("change", () => this.commit());
    form.addEventListener("input", (event) => {
      if (event.target.tagName === "INPUT") this.commitSoon();
    });
    form.addEventListener("reset", (event) => {
      event.preventDefault();
      this.write({});
      this.commit();
    });
    window.addEventListener("popstate", () => {
      this.write(filtersFromUrl());
      this.commit();
    });
  }

  field(name) {
    return this.form.elements.namedItem(name);
  }

  write(filters) {
    for (const name of FILTER_NAMES) {
      const field = this.field(name);
      if (!field) continue;
      const value = filters[name] || "";
      if (field.tagName === "SELECT" && value && ![...field.options].some((option) => option.value === value)) {
        field.append(new Option(value, value));
      }
      field.value = value;
    }
  }

  read() {
    const filters = {};
    for (const name of FILTER_NAMES) {
      const field = this.field(name);
      const value = field ? field.value.trim() : "";
      if (value) filters[name] = value;
    }
    return filters;
  }

  commitSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.commit(), TYPING_DELAY_MS);
  }

  commit() {
    clearTimeout(this.timer);
    const filters = this.read();
    if (sameFilters(filters, this.current)) return;
    this.current = filters;
    const search = filtersToSearch(filters);
    if (search !== window.location.search) {
      window.history.pushState(null, "", window.location.pathname + search);
    }
    this.onChange(filters);
  }

  /** Remember an event name for the name field's suggestions. */
  suggestName(name) {
    const list = document.getElementById("event-names");
    if (!list || !name || list.childElementCount >= 200) return;
    if (this.knownNames === undefined) this.knownNames = new Set();
    if (this.knownNames.has(name)) return;
    this.knownNames.add(name);
    list.append(new Option(name, name));
  }

  focusSearch() {
    const field = this.field("q");
    field.focus();
    field.select();
  }

  hasFilters() {
    return Object.keys(this.current).length > 0;
  }
}
