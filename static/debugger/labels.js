/* Labels shared by the stream rows and the inspector. */
import { el } from "./dom.js";

const KNOWN_TYPES = ["track", "page", "screen", "identify", "group", "alias", "rejected"];

/** Return a coloured label for a message type; unknown types share one colour. */
export function typePill(type) {
  const name = KNOWN_TYPES.includes(type) ? type : "other";
  return el("span", { className: "type-pill type-" + name, text: type || "(no type)" });
}

const MISSING_NAMES = { track: "(no event name)", page: "(no page name)", screen: "(no screen name)", group: "(group call)" };

/** Return the name a row and the inspector show: the event or page name, else who the call is about. */
export function eventTitle(item) {
  if (item.name) return item.name;
  if (item.type === "identify" || item.type === "alias") return item.user_id || item.anonymous_id || "(no user)";
  return MISSING_NAMES[item.type] || "(no name)";
}
