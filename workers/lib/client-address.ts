/**
 * The client's address for per-address limits: Caddy appends it to
 * X-Forwarded-For, so the last entry is the one Caddy saw (earlier entries
 * are whatever the client claimed). Null without a proxy in front.
 */
export function clientAddress(request: Request | undefined): string | null {
  const forwarded = request?.headers.get('x-forwarded-for');
  return forwarded?.split(',').pop()?.trim() || null;
}
