/** One problem in a content file, located as precisely as the file allows. */
export interface ContentIssue {
  /** Path relative to the project root, e.g. `flows/intake.yaml`. */
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** The step, record or key the problem is in, e.g. `step "need"`, `service "svc-x"`. */
  where?: string;
  /** Field path inside that record, e.g. `["options", 2, "next"]`. */
  path: readonly PropertyKey[];
  message: string;
}

/** `["options", 2, "next"]` → `options[2].next`; odd keys are quoted: `["user.name"]`. */
export function toDotPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "symbol") out += `[${String(segment)}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `flows/intake.yaml:23 › step "need" › options[2].next: Unknown step: ...` */
export function formatIssue(issue: ContentIssue): string {
  const parts = [issue.line ? `${issue.file}:${issue.line}` : issue.file];
  if (issue.where) parts.push(issue.where);
  const path = toDotPath(issue.path);
  return `${parts.join(" › ")}${path ? ` › ${path}` : ""}: ${issue.message}`;
}

/**
 * Content that cannot be used: every problem found in every file, not just the first, so one run of the checks
 * gives an author the whole list to fix.
 */
export class ContentError extends Error {
  constructor(readonly issues: readonly ContentIssue[]) {
    super(`Content has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n${issues.map((i) => `  ✖ ${formatIssue(i)}`).join("\n")}`);
    this.name = "ContentError";
  }
}
