/*
 * Copying a payload, and a cURL command that sends it to Trackside again.
 *
 * The replayed body is the message as the client sent it, as far as the
 * stored payload shows: the fields the server adds (receivedAt, the
 * corrected timestamp) are dropped, and the client's timestamp goes back
 * from originalTimestamp to timestamp. messageId is dropped too, so the
 * replay is stored as a new event instead of being counted as a retry.
 */
import { stringifyExact } from "./exactjson.js";

const MESSAGE_PATHS = new Set(["track", "page", "screen", "identify", "group", "alias"]);

export function replayBody(payload) {
  const body = {};
  for (const [key, value] of Object.entries(payload)) {
    if (key === "receivedAt" || key === "messageId" || key === "timestamp" || key === "originalTimestamp") continue;
    body[key] = value;
  }
  if (Object.prototype.hasOwnProperty.call(payload, "originalTimestamp")) body.timestamp = payload.originalTimestamp;
  return body;
}

/** Quote a string for a POSIX shell: single quotes, with each ' written as '\''. */
export function shellQuote(text) {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

/** Build a cURL command that sends `item`'s payload to this Trackside with its source's write key. */
export function curlCommand(item, origin, writeKey) {
  const body = replayBody(item.payload);
  const type = typeof item.payload.type === "string" ? item.payload.type : "";
  const single = MESSAGE_PATHS.has(type);
  const url = origin + "/v1/" + (single ? type : "batch");
  const data = stringifyExact(single ? body : { batch: [body] });
  return [
    "curl " + shellQuote(url),
    "  -u " + shellQuote((writeKey || "WRITE_KEY") + ":"),
    "  -H 'Content-Type: application/json'",
    "  --data-binary " + shellQuote(data),
  ].join(" \\\n");
}

/** Copy text to the clipboard; falls back to a hidden textarea where the Clipboard API is missing. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("The browser did not allow copying.");
}
