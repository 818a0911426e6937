# A second workerd for the JS-RPC tests: the product's wiki, oauth, auth and mcp
# workers exactly as config.capnp defines them, plus a probe worker bound to
# WikiRpc the way the mcp worker is, which turns HTTP posts into RPC calls.
@0xb1a6c0de5e55a0f1;

using Workerd = import "/workerd/workerd.capnp";
using Product = import "../../config.capnp";

const config :Workerd.Config = (
  services = [
    (name = "wiki",  worker = Product.wiki),
    (name = "oauth", worker = Product.oauth),
    (name = "auth",  worker = Product.auth),
    (name = "mcp",   worker = Product.mcp),     # the wiki's Edge forwards MCP paths to it
    (name = "probe", worker = .probe),
    (name = "sqld",    external = (address = "127.0.0.1:8080", http = ())),
    (name = "gitdisk", disk = (path = "/nonexistent", writable = true)),
    (name = "static",  disk = (path = "dist/static", writable = false)),
    (name = "none",     network = (allow = [])),
    (name = "internet", network = (allow = [])),
    (name = "atproto",  network = (allow = [])),
    (name = "embeddings", external = (address = "127.0.0.1:9", http = ())),
  ],
  sockets = [(name = "probe", address = "127.0.0.1:0", service = "probe")],
);

const probe :Workerd.Worker = (
  modules = [(name = "probe.js", esModule = embed "probe.js")],
  compatibilityDate = Product.compat,
  bindings = [(name = "WIKI", service = (name = "wiki", entrypoint = "WikiRpc"))],
);
