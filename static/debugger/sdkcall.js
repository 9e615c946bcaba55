/*
 * The "pretty" view: the analytics.js call that would send a stored message,
 * such as analytics.track("Order Completed", {...}, {context: {...}}).
 *
 * Signatures follow analytics.js (track, page, identify, group, alias) and
 * the mobile SDKs (screen). Each argument's lines keep the payload path they
 * came from, so problems highlight here as in the raw view. Fields the SDK
 * sets itself (messageId, sentAt, receivedAt ...) are not arguments.
 */
import { jsonLines, stringifyExact } from "./exactjson.js";

const OPTION_KEYS = ["context", "integrations", "timestamp"];

function has(payload, key) {
  return Object.prototype.hasOwnProperty.call(payload, key) && payload[key] !== undefined;
}

/** Return the client's own timestamp, which enrichment moves to originalTimestamp. */
function clientTimestamp(payload) {
  if (has(payload, "originalTimestamp")) return { value: payload.originalTimestamp, path: "originalTimestamp" };
  return null;
}

function optionsArgument(payload) {
  const options = {};
  const paths = {};
  for (const key of OPTION_KEYS) {
    if (key === "timestamp") {
      const timestamp = clientTimestamp(payload);
      if (timestamp) { options.timestamp = timestamp.value; paths.timestamp = timestamp.path; }
    } else if (has(payload, key)) {
      options[key] = payload[key];
      paths[key] = key;
    }
  }
  return Object.keys(options).length ? { value: options, path: "", keyPaths: paths } : null;
}

function argument(payload, key) {
  return has(payload, key) ? { value: payload[key], path: key } : null;
}

/** Positional arguments of each call, in order; a null drops out when nothing follows it. */
function callArguments(type, payload) {
  const props = argument(payload, "properties");
  const traits = argument(payload, "traits");
  switch (type) {
    case "track": return [argument(payload, "event") || { value: null, path: "event" }, props];
    case "page": return has(payload, "category")
      ? [argument(payload, "category"), argument(payload, "name"), props]
      : [argument(payload, "name"), props];
    case "screen": return [argument(payload, "name"), props];
    case "identify": return has(payload, "userId") ? [argument(payload, "userId"), traits] : [traits];
    case "group": return [argument(payload, "groupId"), traits];
    case "alias": return [argument(payload, "userId"), argument(payload, "previousId")];
    default: return null;
  }
}

/** Return a comment line naming who the call is about, because analytics.js takes the ids from its own state. */
function identityComment(type, payload) {
  if (type === "alias") return null;
  const keys = type === "identify" && has(payload, "userId") ? ["anonymousId"] : ["userId", "anonymousId"];
  const parts = [];
  for (const key of keys) {
    if (has(payload, key) && payload[key] !== null) parts.push(key + " " + stringifyExact(payload[key]));
  }
  const text = parts.length ? "// as " + parts.join(", ") : "// no userId or anonymousId";
  if (!parts.length && type === "identify") return null;
  return { depth: 0, paths: keys, tokens: [["c", text]] };
}

/** Lay out one argument; an options object maps its keys back to payload paths. */
function argumentLines(arg) {
  if (arg === null) return [{ depth: 0, paths: [], tokens: [["b", "undefined"]] }];
  if (!arg.keyPaths) return jsonLines(arg.value, arg.path);
  const lines = [{ depth: 0, paths: [], tokens: [["p", "{"]] }];
  const keys = Object.keys(arg.value);
  keys.forEach((key, index) => {
    const start = lines.length;
    jsonLines(arg.value[key], arg.keyPaths[key], 1, key, index < keys.length - 1, lines);
    // The stored timestamp is computed from this one, so its problems belong here too.
    if (key === "timestamp") lines[start].paths.push("timestamp");
  });
  lines.push({ depth: 0, paths: [], tokens: [["p", "}"]] });
  return lines;
}

/** Join argument line groups: each argument starts on the line where the previous one ended. */
function joinCall(method, args) {
  // The call line stands for the whole message, so problems of the message root sit on it.
  const lines = [{ depth: 0, paths: [""], tokens: [["f", "analytics." + method], ["p", "("]] }];
  args.forEach((arg, index) => {
    const argLines = argumentLines(arg);
    const last = lines[lines.length - 1];
    if (index > 0) last.tokens.push(["p", ", "]);
    const [first, ...rest] = argLines;
    last.tokens.push(...first.tokens);
    last.paths.push(...first.paths);
    lines.push(...rest);
  });
  lines[lines.length - 1].tokens.push(["p", ");"]);
  return lines;
}

function trimTrailingNulls(args) {
  const trimmed = [...args];
  while (trimmed.length && trimmed[trimmed.length - 1] === null) trimmed.pop();
  return trimmed;
}

/**
 * Return the lines of the SDK call for `payload`, or null when its type is
 * not one of Segment's calls (the raw view then shows it as it is).
 */
export function sdkCallLines(payload) {
  const type = payload && typeof payload === "object" ? payload.type : undefined;
  const positional = callArguments(type, payload || {});
  if (positional === null) return null;
  const options = optionsArgument(payload);
  const args = trimTrailingNulls(options ? [...positional, options] : positional);
  const lines = [];
  const comment = identityComment(type, payload);
  if (comment) lines.push(comment);
  lines.push(...joinCall(type, args));
  return lines;
}
