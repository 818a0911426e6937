/** The platform worker's bindings (config.capnp). No outbound network. */
import type { AuthRpc } from '../auth/index.ts';
import type { BaseEnv } from '../lib/worker/env.ts';
import type { WikiRpc } from '../wiki/index.ts';

export interface Env extends BaseEnv {
  SQLD: Fetcher;
  /** Sessions (`verifySession`) and people (`resolveIdentity`). */
  AUTH: Service<AuthRpc>;
  /** The wiki worker: forgetting cached directory rows, removing a deleted wiki's repository. */
  WIKI: Service<WikiRpc>;
}
