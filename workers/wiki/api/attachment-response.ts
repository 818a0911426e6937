/**
 * How attachment bytes leave the wiki host: never as something that can run
 * script on the wiki's origin. Raster images and PDFs display inline; every
 * other type (HTML and SVG included) downloads; all of it is sandboxed.
 */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'application/pdf']);

export function attachmentResponse(bytes: Uint8Array, filename: string, mimeType: string, options: { immutable?: boolean } = {}): Response {
  const inline = INLINE.has(mimeType);
  const asciiName = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(bytes, {
    headers: {
      'content-type': inline ? mimeType : mimeType.startsWith('text/') ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': options.immutable ? 'public, max-age=604800, immutable' : 'private, no-cache',
    },
  });
}
