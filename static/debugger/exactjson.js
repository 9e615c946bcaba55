/*
 * JSON with exact numbers, and JSON laid out as lines that know their path.
 *
 * JSON.parse turns 9007199254740993 into 9007199254740992. parseExact keeps
 * each number's source text instead (the reviver's context.source, in
 * Chromium 114+, Firefox 135+ and Safari 18.4+), so big integers show and
 * copy with every digit.
 */

export class JsonNumber {
  constructor(source) { this.source = source; }
  toString() { return this.source; }
}

export function parseExact(text) {
  return JSON.parse(text, function (key, value, context) {
    if (typeof value === "number" && context && typeof context.source === "string") {
      return new JsonNumber(context.source);
    }
    return value;
  });
}

/**
 * Turn the top-level numbers of a read API item (id, counts) into plain
 * numbers; only its payload and problems keep exact JsonNumbers.
 */
export function plainItem(item) {
  const plain = {};
  for (const [key, value] of Object.entries(item)) {
    plain[key] = value instanceof JsonNumber && key !== "payload" && key !== "problems" ? Number(value.source) : value;
  }
  return plain;
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** Serialise a value from parseExact, numbers as their source text. */
export function stringifyExact(value, indent = 0, depth = 0) {
  if (value instanceof JsonNumber) return value.source;
  const newline = indent ? "\n" + " ".repeat(indent * (depth + 1)) : "";
  const close = indent ? "\n" + " ".repeat(indent * depth) : "";
  const colon = indent ? ": " : ":";
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    const parts = value.map((child) => stringifyExact(child, indent, depth + 1));
    return "[" + newline + parts.join("," + newline) + close + "]";
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (!keys.length) return "{}";
    const parts = keys.map((key) => JSON.stringify(key) + colon + stringifyExact(value[key], indent, depth + 1));
    return "{" + newline + parts.join("," + newline) + close + "}";
  }
  return JSON.stringify(value === undefined ? null : value);
}

/* Paths, written the way the server writes problem paths */

export function joinPath(parent, key) {
  if (typeof key === "number") return parent + "[" + key + "]";
  if (key === "" || /[.\[\]]/.test(key)) return parent + "[" + JSON.stringify(key) + "]";
  return parent ? parent + "." + key : key;
}

/** Split a problem path into keys and indexes: 'a["b.c"][0].d' gives ["a", "b.c", 0, "d"]. */
export function splitPath(path) {
  const parts = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === ".") { i += 1; continue; }
    if (path[i] === "[" && path[i + 1] === '"') {
      let end = i + 2;
      while (end < path.length && path[end] !== '"') end += path[end] === "\\" ? 2 : 1;
      try { parts.push(JSON.parse(path.slice(i + 1, end + 1))); } catch (error) { return null; }
      i = end + 2;
    } else if (path[i] === "[") {
      const end = path.indexOf("]", i);
      if (end < 0) return null;
      parts.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== "." && path[end] !== "[") end += 1;
      parts.push(path.slice(i, end));
      i = end;
    }
  }
  return parts;
}

/** Return the paths from `path` up to the root (""), nearest first. */
export function ancestorPaths(path) {
  const parts = splitPath(path || "");
  if (parts === null) return [path, ""];
  const paths = [];
  for (let length = parts.length; length >= 0; length -= 1) {
    paths.push(parts.slice(0, length).reduce((joined, part) => joinPath(joined, part), ""));
  }
  return paths;
}

/* Lines: each { depth, paths: [...], tokens: [[className, text], ...] } */

export function scalarToken(value) {
  if (value instanceof JsonNumber) return ["n", value.source];
  if (typeof value === "string") return ["s", JSON.stringify(value)];
  if (typeof value === "number") return ["n", String(value)];
  return ["b", JSON.stringify(value === undefined ? null : value)];
}

/**
 * Lay out `value` (found at payload `path`) as lines. `label` is the object
 * key in front of it, or null; `comma` adds a trailing comma.
 */
export function jsonLines(value, path = "", depth = 0, label = null, comma = false, out = []) {
  const head = label === null ? [] : [["k", JSON.stringify(label)], ["p", ": "]];
  const tail = comma ? [["p", ","]] : [];
  const isArray = Array.isArray(value);
  if (!isArray && !isObject(value)) {
    out.push({ depth, paths: [path], tokens: [...head, scalarToken(value), ...tail] });
    return out;
  }
  const keys = isArray ? value.map((_, index) => index) : Object.keys(value);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (!keys.length) {
    out.push({ depth, paths: [path], tokens: [...head, ["p", open + close], ...tail] });
    return out;
  }
  out.push({ depth, paths: [path], tokens: [...head, ["p", open]] });
  keys.forEach((key, index) => {
    const childLabel = isArray ? null : key;
    jsonLines(value[key], joinPath(path, key), depth + 1, childLabel, index < keys.length - 1, out);
  });
  out.push({ depth, paths: [], tokens: [["p", close], ...tail] });
  return out;
}
