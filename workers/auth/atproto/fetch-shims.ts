/**
 * `@atproto/*` builds requests with `redirect: 'error'`, which workerd rejects
 * in both `new Request()` and `fetch()` (atproto#3292). Map it to 'manual' and
 * turn a 3xx answer into the error the library expects. Passing a `fetch`
 * option alone is not enough: the DID resolver does not receive it. Installed
 * once per isolate, only in the auth worker.
 */
let installed = false;

export function installFetchShims(): void {
  if (installed) return;
  installed = true;
  const NativeRequest = globalThis.Request;
  const nativeFetch = globalThis.fetch;
  const refusesRedirects = new WeakSet<Request>();

  class ShimmedRequest extends NativeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      const error = init?.redirect === 'error' || (input instanceof NativeRequest && refusesRedirects.has(input) && init?.redirect === undefined);
      // workerd also refuses `cache` modes other than no-store (atproto#4052); no HTTP cache sits here anyway.
      const { cache, ...rest } = init ?? {};
      const fixed: RequestInit = { ...rest, ...(cache === 'no-store' ? { cache } : {}), ...(error ? { redirect: 'manual' } : {}) };
      super(input, init ? fixed : undefined);
      if (error) refusesRedirects.add(this);
    }
  }
  globalThis.Request = ShimmedRequest as typeof Request;

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new ShimmedRequest(input, init);
    const response = await nativeFetch(request);
    if (refusesRedirects.has(request) && response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new TypeError(`refused a redirect from ${request.url} (redirect: 'error')`);
    }
    return response;
  };
}
