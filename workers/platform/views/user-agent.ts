/** Sessions are listed by the browser that made them: a short name for a User-Agent header. */

/** `Chrome on Linux`, `Safari on iOS`…; the raw text (cut) for anything else. */
export function describeAgent(agent: string | null): string {
  if (!agent) return 'Unknown browser or program';
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? (/HeadlessChrome/.test(agent) ? 'Headless Chrome' : 'Chrome') : /Safari\//.test(agent) ? 'Safari' : null;
  const os = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows' : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : null;
  if (browser) return os ? `${browser} on ${os}` : browser;
  return agent.slice(0, 60);
}
