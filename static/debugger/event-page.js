/*
 * The permalink page of one event: the inspector, filled from the item the
 * server wrote into the page, so the page works on reload without the
 * websocket.
 */
import { readJsonScript } from "./dom.js";
import { parseExact, plainItem } from "./exactjson.js";
import { Inspector } from "./inspector.js";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("event-page");
  if (!root) return;
  const config = readJsonScript("debugger-config");
  // The item is JSON text inside a JSON string, so big integers keep every digit.
  const item = plainItem(parseExact(JSON.parse(document.getElementById("event-item").textContent)));
  const inspector = new Inspector(document.getElementById("inspector"), {
    pages: { eventPage: root.dataset.eventPage, problemPage: root.dataset.problemPage },
    writeKeys: config.writeKeys,
  });
  inspector.showEvent(item);
});
