/*
 * Notices of events the page did not receive: their text, and merging the
 * read API URLs that list them.
 */
import { plural } from "./dom.js";

const SKIP_REASONS = {
  slow_client: "this page fell behind",
  channel_full: "the server's queue for this page was full",
  catch_up_limit: "they arrived while the page was disconnected",
};

export function skippedText(count, reason) {
  const cause = SKIP_REASONS[reason] || "the server could not send them";
  return plural(count, "event was", "events were") + " not shown because " + cause + ".";
}

/**
 * Merge two read API URLs of skipped events into one that lists both: the
 * lower after_id and the higher before_id (a missing bound stays open).
 * Events shown in between come back too, and the stream shows them once.
 */
export function widenRange(first, second) {
  const merged = new URL(first, window.location.origin);
  const other = new URL(second, window.location.origin);
  const bound = (name, pick) => {
    const values = [merged.searchParams.get(name), other.searchParams.get(name)];
    if (values.includes(null)) return null;
    return String(pick(...values.map(Number)));
  };
  const after = bound("after_id", Math.min);
  const before = bound("before_id", Math.max);
  for (const [name, value] of [["after_id", after], ["before_id", before]]) {
    if (value === null) merged.searchParams.delete(name);
    else merged.searchParams.set(name, value);
  }
  return merged.pathname + merged.search;
}
