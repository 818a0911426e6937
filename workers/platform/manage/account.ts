/** Your account: sessions, and deleting it (every owned wiki deleted or handed to one of its admins). */
import { z } from 'zod';
import { deleteAccount, ownedWikis, type OwnedWikiFate } from '../../lib/directory/accounts.ts';
import { listMembers, type MemberView } from '../../lib/directory/members.ts';
import { listActiveSessions, revokeOwnSession, type SessionView } from '../../lib/directory/sessions.ts';
import type { Wiki } from '../../lib/directory/wikis.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf, directoryChanged, requireSession, type Manager } from './manager.ts';
import { destroyStorage } from './wikis.ts';

export async function listSessionsFor(m: Manager): Promise<{ current: string; sessions: SessionView[] }> {
  const session = requireSession(m, 'list sessions');
  return { current: session.sessionId, sessions: await listActiveSessions(m.db, session.did) };
}

export async function revokeSessionFor(m: Manager, sessionId: string): Promise<void> {
  const session = requireSession(m, 'sign sessions out');
  await revokeOwnSession(m.db, session.did, sessionId.slice(0, 100), actorOf(m));
  await directoryChanged(m.env);
}

/** An owned wiki and the admins it could be handed to. */
export interface OwnedWiki {
  wiki: Wiki;
  admins: MemberView[];
}

export async function ownedWikisFor(m: Manager): Promise<OwnedWiki[]> {
  const session = requireSession(m, 'list owned wikis');
  const owned = await ownedWikis(m.db, session.did);
  return Promise.all(owned.map(async (wiki) => ({ wiki, admins: (await listMembers(m.db, wiki.id)).filter((x) => x.role === 'admin') })));
}

/** What happens to each owned wiki, by slug: `delete`, or the handle or DID of one of its admins. */
export const wikiFatesSchema = z.record(z.string(), z.string().trim().min(1).max(300));

/**
 * Deletes the signed-in person's account. `confirm` must be their handle,
 * typed; `fates` must name every wiki they own.
 */
export async function deleteAccountFor(m: Manager, confirm: string, fates: Record<string, string>): Promise<{ deleted: string[]; transferred: { slug: string; to: string }[] }> {
  const session = requireSession(m, 'delete an account');
  if (confirm.trim().replace(/^@/, '').toLowerCase() !== session.handle) {
    throw new AppError('invalid', `To delete your account, type your handle, ${session.handle}, to confirm.`);
  }
  const owned = await ownedWikisFor(m);
  const plan = new Map<string, OwnedWikiFate>();
  for (const { wiki, admins } of owned) {
    const choice = fates[wiki.slug];
    if (!choice) throw new AppError('invalid', `Say what happens to the wiki "${wiki.slug}": delete it, or hand it to one of its admins.`);
    if (choice === 'delete') {
      plan.set(wiki.id, { action: 'delete' });
      continue;
    }
    const to = admins.find((a) => a.did === choice || a.handle === choice.replace(/^@/, '').toLowerCase());
    if (!to) throw new AppError('invalid', `"${wiki.slug}" can only be handed to one of its admins${admins.length ? `: ${admins.map((a) => a.handle).join(', ')}` : ', and it has none: delete it, or make someone an admin first'}.`);
    plan.set(wiki.id, { action: 'transfer', toDid: to.did });
  }
  const result = await deleteAccount(m.db, session.did, plan, actorOf(m));
  await directoryChanged(m.env);
  await destroyStorage(m, result.deletedWikis);
  const handleOf = new Map(owned.flatMap((o) => o.admins.map((a) => [a.did, a.handle] as const)));
  return {
    deleted: result.deletedWikis.map((w) => w.slug),
    transferred: result.transferred.map((t) => ({ slug: t.wiki.slug, to: handleOf.get(t.toDid) ?? t.toDid })),
  };
}
