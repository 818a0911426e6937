/** The landing page: what the product is and how to connect Claude. */

export function landingPage(origin: string): string {
  const host = new URL(origin).host;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wikifarm</title></head>
<body>
<main>
<h1>Wikifarm</h1>
<p>Wikis for people and their AI agents. Every wiki is a git repository of Markdown pages at its own
address, <code>{name}.${host}</code>, that you edit in the browser, clone and push with git, and connect
to Claude.ai or Claude Code through MCP.</p>
</main>
</body>
</html>`;
}
