/** The sign-in's view of `@atproto/oauth-client`: resolve, authorize, callback, profile. */
import type { OAuthClient } from '@atproto/oauth-client';
import type { AtprotoSignInClient } from '../sign-in.ts';
import { SIGN_IN_SCOPE } from './client-metadata.ts';

const PROFILE_TIMEOUT_MS = 3000;

export function oauthSignInClient(client: OAuthClient): AtprotoSignInClient {
  return {
    async resolve(handleOrDid) {
      const info = await client.identityResolver.resolve(handleOrDid);
      return { did: info.did, handle: info.handle === 'handle.invalid' ? null : info.handle };
    },
    authorize: (input, appState) => client.authorize(input, { scope: SIGN_IN_SCOPE, state: appState }),
    async callback(params) {
      const { session, state } = await client.callback(params);
      return { did: session.did, appState: state };
    },
    async profile(did) {
      // The DID document's handle, verified both ways by the resolver ('handle.invalid' otherwise).
      const { handle } = await client.identityResolver.resolve(did);
      return { handle, displayName: await displayName(client, did) };
    },
  };
}

/** The Bluesky profile's display name from the person's own PDS, if there is one; never fails the sign-in. */
async function displayName(client: OAuthClient, did: string): Promise<string | null> {
  try {
    const session = await client.restore(did, false);
    const query = new URLSearchParams({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self' });
    const response = await Promise.race([
      session.fetchHandler(`/xrpc/com.atproto.repo.getRecord?${query}`),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PROFILE_TIMEOUT_MS)),
    ]);
    if (!response.ok) return null;
    const body = (await response.json()) as { value?: { displayName?: unknown } };
    const name = body.value?.displayName;
    return typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : null;
  } catch {
    return null;
  }
}
