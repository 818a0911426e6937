# workerd configuration: the gateway owns the public and internal sockets, the
# wiki worker the socket for wiki hosts behind Caddy; every other worker is
# reached only through service bindings. Addresses and paths here are defaults;
# bin/up.ts overrides them with --socket-addr, --external-addr and
# --directory-path. Secrets and settings come from the environment, never from
# this file.
using Workerd = import "/workerd/workerd.capnp";

const compat :Text = "2026-11-01";   # nodejs_compat is on by default from 2026-08-04

const config :Workerd.Config = (
  services = [
    (name = "gateway",  worker = .gateway),
    (name = "auth",     worker = .auth),
    (name = "oauth",    worker = .oauth),
    (name = "wiki",     worker = .wiki),
    (name = "mcp",      worker = .mcp),
    (name = "platform", worker = .platform),
    # The libSQL server; the only database.
    (name = "sqld",     external = (address = "127.0.0.1:8080", http = ())),
    # Bare git repositories, one per wiki. Bound only to the wiki worker.
    (name = "gitdisk",  disk = (path = "/var/lib/wikifarm/git", writable = true)),
    # The wiki's browser files (CSS, JS, KaTeX, mermaid), copied into dist/static by the build.
    (name = "static",   disk = (path = "dist/static", writable = false)),
    # Outbound network for workers that need none.
    (name = "none",     network = (allow = [])),
    # Public internet only (no loopback or private ranges): CIMD fetches.
    (name = "internet", network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
    # The auth worker's way out: people's PDSes, the PLC directory, handle resolution. Public only,
    # so a typed PDS address can never reach sqld or anything else on this machine. A local test or
    # development PDS needs "local" too: bin/lib/workerd.ts derives a config for that (ATP_LOCAL_NETWORK=1).
    (name = "atproto",  network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
    # The embedding provider of meaning-based search (EMBEDDINGS_URL: Ollama, llama.cpp, vLLM, a hosted
    # API), bound only to the wiki worker. An external service is pinned to one address, so the wiki
    # worker keeps no outbound network of its own: it can reach this provider and nothing else (a
    # network service would open every local address to it). bin/lib/workerd.ts points it at the URL's
    # host and port (--external-addr) and, for an https URL, derives a copy that speaks TLS to it.
    (name = "embeddings", external = (address = "127.0.0.1:11434", http = ())),
  ],
  sockets = [
    # Public: what Caddy proxies to.
    (name = "http", address = "127.0.0.1:8787", service = "gateway",
     http = (forwardedProtoHeader = "X-Forwarded-Proto")),
    # Internal: detailed health and Caddy's on-demand TLS question. Loopback
    # only and never proxied, so no header can make a public request internal.
    (name = "internal", address = "127.0.0.1:8788", service = (name = "gateway", entrypoint = "Internal")),
    # Wiki hosts (`*.APEX`), which Caddy proxies here: the wiki worker answers
    # them itself, with the gateway's routing table, limits and headers
    # (workers/wiki/edge.ts), one isolate fewer per request.
    (name = "wiki", address = "127.0.0.1:8789", service = (name = "wiki", entrypoint = "Edge"),
     http = (forwardedProtoHeader = "X-Forwarded-Proto")),
    # This process's own health, for the stack: the sockets above are shared
    # with the workerd a new one replaces (bin/lib/listeners.ts), so each one
    # the stack starts also gets a free loopback port here, its alone.
    (name = "probe", address = "127.0.0.1:0", service = (name = "gateway", entrypoint = "Internal")),
  ],
  # A small young generation: dead Request/Response wrappers (whose native
  # halves V8 cannot see) are collected within milliseconds, not after tens of
  # MB of garbage. Measured: workerd RSS after 30 s of 9,000 req/s drops from
  # ~400 MiB to ~250 MiB at no measurable cost in throughput.
  # `gc()` for workers/lib/worker/gc.ts: wrappers that reached the old
  # generation hold their native memory until a full collection, which V8
  # runs late; each busy isolate asks for one at most once a second
  # (a page-view run: 330 MiB → 210 MiB, same throughput).
  v8Flags = ["--max-semi-space-size=1", "--expose-gc"],
);

const gateway :Workerd.Worker = (
  modules = [(name = "gateway.js", esModule = embed "dist/gateway.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "AUTH",     service = "auth"),
    (name = "OAUTH",    service = "oauth"),
    (name = "WIKI",     service = "wiki"),
    (name = "MCP",      service = "mcp"),
    (name = "PLATFORM", service = "platform"),
    (name = "APEX",          fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN", fromEnvironment = "PUBLIC_ORIGIN"),
  ],
  globalOutbound = "none",
);

const auth :Workerd.Worker = (
  modules = [(name = "auth.js", esModule = embed "dist/auth.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "SQLD", service = "sqld"),
    (name = "SESSION_JWK",    fromEnvironment = "SESSION_JWK"),
    (name = "ATP_CLIENT_JWK", fromEnvironment = "ATP_CLIENT_JWK"),
    (name = "DATA_KEY",       fromEnvironment = "DATA_KEY"),
    (name = "APEX",           fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN",  fromEnvironment = "PUBLIC_ORIGIN"),
    (name = "ATP_PLC_URL",         fromEnvironment = "ATP_PLC_URL"),
    (name = "ATP_HANDLE_RESOLVER", fromEnvironment = "ATP_HANDLE_RESOLVER"),
    (name = "ATP_DOH_URL",         fromEnvironment = "ATP_DOH_URL"),
    (name = "ATP_ALLOW_HTTP",      fromEnvironment = "ATP_ALLOW_HTTP"),
  ],
  globalOutbound = "atproto",   # resolves handles and talks to the user's PDS
);

const oauth :Workerd.Worker = (
  modules = [(name = "oauth.js", esModule = embed "dist/oauth.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "SQLD", service = "sqld"),
    (name = "AUTH", service = (name = "auth", entrypoint = "AuthRpc")),   # the session behind consent
    (name = "WIKI", service = (name = "wiki", entrypoint = "WikiRpc")),   # forget cached grants after a revocation
    (name = "APEX",          fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN", fromEnvironment = "PUBLIC_ORIGIN"),
  ],
  globalOutbound = "internet",   # fetches Client ID Metadata Documents
);

const wiki :Workerd.Worker = (
  modules = [(name = "wiki.js", esModule = embed "dist/wiki.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "SQLD", service = "sqld"),
    (name = "DISK", service = "gitdisk"),
    (name = "OAUTH", service = (name = "oauth", entrypoint = "OAuthRpc")),
    (name = "AUTH",  service = (name = "auth",  entrypoint = "AuthRpc")),
    (name = "STATIC", service = "static"),
    # The paths of a wiki host that MCP and OAuth answer, for requests on the wiki's own socket.
    (name = "MCP_HTTP",   service = "mcp"),
    (name = "OAUTH_HTTP", service = "oauth"),
    (name = "APEX",          fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN", fromEnvironment = "PUBLIC_ORIGIN"),
    (name = "WRITES_PER_MINUTE", fromEnvironment = "WRITES_PER_MINUTE"),
    # Meaning-based search: the provider (see the "embeddings" service) and its settings.
    (name = "EMBEDDINGS", service = "embeddings"),
    (name = "EMBEDDINGS_URL",        fromEnvironment = "EMBEDDINGS_URL"),
    (name = "EMBEDDINGS_MODEL",      fromEnvironment = "EMBEDDINGS_MODEL"),
    (name = "EMBEDDINGS_API_KEY",    fromEnvironment = "EMBEDDINGS_API_KEY"),
    (name = "EMBEDDINGS_DIMENSIONS", fromEnvironment = "EMBEDDINGS_DIMENSIONS"),
  ],
  globalOutbound = "none",
);

const mcp :Workerd.Worker = (
  modules = [(name = "mcp.js", esModule = embed "dist/mcp.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "WIKI",  service = (name = "wiki",  entrypoint = "WikiRpc")),
    (name = "OAUTH", service = (name = "oauth", entrypoint = "OAuthRpc")),
    (name = "APEX",          fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN", fromEnvironment = "PUBLIC_ORIGIN"),
  ],
  globalOutbound = "none",
);

const platform :Workerd.Worker = (
  modules = [(name = "platform.js", esModule = embed "dist/platform.js")],
  compatibilityDate = .compat,
  bindings = [
    (name = "SQLD", service = "sqld"),
    (name = "AUTH", service = (name = "auth", entrypoint = "AuthRpc")),
    (name = "WIKI", service = (name = "wiki", entrypoint = "WikiRpc")),
    (name = "APEX",          fromEnvironment = "APEX"),
    (name = "PUBLIC_ORIGIN", fromEnvironment = "PUBLIC_ORIGIN"),
  ],
  globalOutbound = "none",
);
