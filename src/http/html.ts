/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * A server-rendered page: no inline script (the CSP forbids it), the project's own stylesheet. `body` must already be
 * escaped HTML.
 */
export function page(options: { title: string; body: string; language: string; dir: "ltr" | "rtl"; refreshSeconds?: number; stylesheet?: string; head?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.language)}" dir="${options.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ""}
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/${options.stylesheet ?? "staff.css"}">
${options.head ?? ""}
</head>
<body>
${options.body}
</body>
</html>`;
}
