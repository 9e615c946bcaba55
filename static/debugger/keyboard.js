/*
 * Keyboard shortcuts of the live page: j / k (or the arrow keys on the
 * table) move, Enter opens, p pauses or resumes, / searches, Escape leaves a
 * field or closes the inspector.
 */

function typingIn(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
}

/** `actions` contains move(step), open(), togglePause(), search() and escape(). */
export function bindKeys(actions) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (typingIn(event.target)) event.target.blur();
      else actions.escape();
      return;
    }
    if (typingIn(event.target)) return;
    const onRow = event.target instanceof HTMLElement && event.target.closest(".row[data-key]") !== null;
    const handlers = {
      j: () => actions.move(1),
      k: () => actions.move(-1),
      p: () => actions.togglePause(),
      "/": () => actions.search(),
      Enter: () => actions.open(),
    };
    if (onRow) {
      handlers.ArrowDown = handlers.j;
      handlers.ArrowUp = handlers.k;
    }
    const handler = handlers[event.key];
    if (!handler) return;
    if (event.key === "Enter" && event.target instanceof HTMLElement && event.target.closest("a, button")) return;
    event.preventDefault();
    handler();
  });
}
