/*
 * The read API as the page uses it: JSON with exact numbers, by the page's
 * own staff session.
 */
import { parseExact, plainItem } from "./exactjson.js";

const JSON_REQUEST = { credentials: "same-origin", headers: { Accept: "application/json" } };

/** Return whether the staff session is still valid: the read API needs the same session as the websocket. */
export async function isSignedIn(eventsUrl) {
  const response = await fetch(eventsUrl + "?limit=1", JSON_REQUEST);
  return response.status !== 401 && response.status !== 403;
}

/** Fetch a read API URL; raise an Error whose message a user can act on. */
export async function fetchJson(url) {
  const response = await fetch(url, JSON_REQUEST);
  if (response.status === 404) throw new Error("This event is no longer stored.");
  if (response.status === 401 || response.status === 403) throw new Error("You are signed out. Reload the page to log in again.");
  if (!response.ok) throw new Error("Loading failed: HTTP " + response.status + " from " + url);
  return parseExact(await response.text());
}

export async function fetchItem(url) {
  return plainItem(await fetchJson(url));
}
