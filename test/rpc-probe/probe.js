// POST {slug, token, method, args} → WIKI.open(slug, token), then session[method](...args), as JSON.
export default {
  async fetch(request, env) {
    const { slug, token, method, args = [] } = await request.json();
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
