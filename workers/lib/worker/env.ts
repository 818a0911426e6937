/** Bindings every worker gets from config.capnp. */
export interface BaseEnv {
  /** The apex host name, no port: `wiki.example`, or `wiki.localhost` locally. */
  APEX: string;
  /** The public origin of the apex, e.g. `https://wiki.example` or `http://wiki.localhost:8787`. */
  PUBLIC_ORIGIN: string;
}
