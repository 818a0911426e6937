// POST {slug, token, method, args} → WIKI.open(slug, token), then session[method](...args), as JSON.
// An argument field {"$bytes": "<base64>"} is sent as a Uint8Array (attachments).
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'string') return Uint8Array.from(atob(value.$bytes), (c) => c.charCodeAt(0));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

export default {
  async fetch(request, env) {
    const { slug, token, method, args: raw = [] } = await request.json();
    const args = revive(raw);
    const opened = await env.WIKI.open(slug, token);
    if (!opened.ok || !method) return Response.json(opened.ok ? { ok: true } : opened);
    const result = await opened.value[method](...args);
    // Bytes (attachments) travel over RPC as Uint8Array; JSON gets them as base64.
    if (result.ok && result.value && result.value.bytes instanceof Uint8Array) {
      result.value = { ...result.value, bytes: btoa(String.fromCharCode(...result.value.bytes)) };
    }
    return Response.json(result);
  },
};
