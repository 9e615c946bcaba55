/*
 * The list of an event's problems, worst first: severity, code (linking to
 * the problem's documentation page), path, message and suggested value.
 */
import { el } from "./dom.js";
import { SEVERITY_RANK } from "./codeview.js";
import { stringifyExact } from "./exactjson.js";

export function sortProblems(problems) {
  return [...problems].sort((a, b) => (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0));
}

export function problemPageUrl(template, code) {
  return template.replace("CODE", encodeURIComponent(code));
}

function suggestionNode(problem) {
  if (!Object.prototype.hasOwnProperty.call(problem, "suggestion")) return null;
  return el("p", { className: "suggestion" },
    el("span", { className: "label", text: "Suggested value " }),
    el("code", { text: stringifyExact(problem.suggestion) }),
  );
}

function problemCard(problem, problemPage, onShow) {
  const where = el("button", {
    className: "path",
    text: problem.path || "(whole message)",
    title: "Show this line",
    attrs: { type: "button" },
    on: { click: () => onShow(problem) },
  });
  return el("li", { className: "problem sev-" + problem.severity },
    el("div", { className: "problem-head" },
      el("span", { className: "severity", text: problem.severity }),
      el("a", { className: "code-link", text: problem.code, attrs: { href: problemPageUrl(problemPage, problem.code) } }),
      where,
    ),
    el("p", { className: "message", text: problem.message }),
    suggestionNode(problem),
  );
}

/** Render `problems` into the list element; `onShow(problem)` scrolls to its line. */
export function renderProblems(list, problems, problemPage, onShow) {
  list.replaceChildren();
  if (!problems.length) {
    list.append(el("li", { className: "no-problems", text: "No problems: this message follows the spec." }));
    return;
  }
  for (const problem of sortProblems(problems)) list.append(problemCard(problem, problemPage, onShow));
}
