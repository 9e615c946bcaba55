/*
 * Code lines with problems marked on them.
 *
 * A problem sits on the line of its path. When that path is not in the view
 * (a missing field, or a field the pretty view leaves out), it sits on the
 * line of its nearest ancestor that is. Each line ends with the codes of its
 * problems, and the list beside the code can scroll to a problem's line.
 */
import { ancestorPaths } from "./exactjson.js";
import { el } from "./dom.js";

export const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };

export function worstSeverity(problems) {
  let worst = null;
  for (const problem of problems) {
    if (!worst || (SEVERITY_RANK[problem.severity] || 0) > (SEVERITY_RANK[worst] || 0)) worst = problem.severity;
  }
  return worst;
}

function lineIndexByPath(lines) {
  const index = new Map();
  lines.forEach((line, number) => {
    for (const path of line.paths) if (!index.has(path)) index.set(path, number);
  });
  return index;
}

/**
 * Place each problem on a line. Returns a Map from line number to its
 * problems, and the problems no line of this view can carry. `rootFallback`
 * sets whether the root line may carry problems of paths the view lacks.
 */
export function placeProblems(lines, problems, rootFallback) {
  const index = lineIndexByPath(lines);
  const placed = new Map();
  const unplaced = [];
  for (const problem of problems) {
    let candidates = ancestorPaths(problem.path || "");
    if (!rootFallback && problem.path) candidates = candidates.filter((candidate) => candidate !== "");
    const path = candidates.find((candidate) => index.has(candidate));
    if (path === undefined) {
      unplaced.push(problem);
      continue;
    }
    const number = index.get(path);
    if (!placed.has(number)) placed.set(number, []);
    placed.get(number).push(problem);
  }
  return { placed, unplaced };
}

function lineNode(line, number, problems) {
  const code = el("span", { className: "code" });
  if (line.depth) code.append("  ".repeat(line.depth));
  for (const [className, text] of line.tokens) code.append(el("span", { className: "t-" + className, text }));
  const node = el("div", { className: "line", dataset: { line: String(number + 1) } }, code);
  if (line.paths.length) node.dataset.path = line.paths[0];
  if (problems && problems.length) {
    const severity = worstSeverity(problems);
    node.classList.add("flagged", "sev-" + severity);
    const codes = problems.map((problem) => problem.code).join(", ");
    node.append(el("span", { className: "marker", text: codes, attrs: { "aria-label": severity + ": " + codes } }));
  }
  return node;
}

/**
 * Render `lines` into `container` with `problems` marked. Returns the
 * problems that have no line here, and a function that gives a problem's
 * line element (or null).
 */
export function renderCode(container, lines, problems, { rootFallback = true } = {}) {
  const { placed, unplaced } = placeProblems(lines, problems, rootFallback);
  const byProblem = new Map();
  const fragment = document.createDocumentFragment();
  lines.forEach((line, number) => {
    const node = lineNode(line, number, placed.get(number));
    for (const problem of placed.get(number) || []) byProblem.set(problem, node);
    fragment.append(node);
  });
  container.replaceChildren(fragment);
  return { unplaced, lineOf: (problem) => byProblem.get(problem) || null };
}
