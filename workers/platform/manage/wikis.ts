/** Wikis: the ones you belong to, creating, settings, handing on, deleting. */
import { z } from 'zod';
import { VISIBILITIES } from '../../../db/schema.ts';
import { getRole } from '../../lib/directory/members.ts';
import { findUser } from '../../lib/directory/users.ts';
import { transferOwnership } from '../../lib/directory/ownership.ts';
import { createWiki, deleteWiki, DESCRIPTION_MAX, getWikiBySlug, listWikisForUser, ownedWikiAllowance, ownedWikiQuotaError, takenSlugs, TITLE_MAX, updateWiki, type MemberWiki, type Wiki, type WikiPatch } from '../../lib/directory/wikis.ts';
import { AppError } from '../../lib/errors.ts';
import { enforceRate, RATE_RULES } from '../../lib/limits/rate-limit.ts';
import { unwrapRpc } from '../../lib/rpc-result.ts';
import { slugProblem } from '../../lib/slugs.ts';
import { parseOrThrow } from '../../lib/validate.ts';
import { baseSlugFromHandle, slugCandidates, suggestSlug } from '../slug-suggestion.ts';
import { actorOf, directoryChanged, requireSession, type Manager } from './manager.ts';
import { checkTransfer, requireManager, requireOwner } from './policy.ts';
import { openWiki, type WikiAccess } from './wiki-access.ts';

export const newWikiSchema = z.object({
  slug: z.string().trim().toLowerCase().max(100),
  title: z.string().max(TITLE_MAX * 2).optional(),
  description: z.string().max(DESCRIPTION_MAX * 2).optional(),
  visibility: z.enum(VISIBILITIES).optional(),
});
export type NewWiki = z.infer<typeof newWikiSchema>;

export const wikiPatchSchema = z.object({
  title: z.string().max(TITLE_MAX * 2).optional(),
  description: z.string().max(DESCRIPTION_MAX * 2).optional(),
  visibility: z.enum(VISIBILITIES).optional(),
  git_access: z.boolean().optional(),
});

export async function listMyWikis(m: Manager): Promise<MemberWiki[]> {
  const session = requireSession(m, 'list your wikis');
  return listWikisForUser(m.db, session.did);
}

/** A free, valid slug derived from the signed-in person's handle (first-run default). */
export async function firstWikiSlug(m: Manager): Promise<string> {
  const session = requireSession(m, 'suggest a wiki name');
  const candidates = slugCandidates(baseSlugFromHandle(session.handle));
  return suggestSlug(session.handle, await takenSlugs(m.db, candidates));
}

/**
 * Creates a wiki owned by the signed-in person. Checks run cheapest first and
 * before the rate limit counts, so a typo costs nothing: the name, whether it
 * is free, the owned-wiki quota; the quota is checked again inside the write.
 */
export async function createWikiFor(m: Manager, input: NewWiki): Promise<Wiki> {
  const session = requireSession(m, 'create wikis');
  const problem = slugProblem(input.slug);
  if (problem) throw new AppError('invalid', `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  if (await getWikiBySlug(m.db, input.slug)) throw new AppError('conflict', `The name "${input.slug}" is taken. Choose another.`);
  const allowance = await ownedWikiAllowance(m.db, session.did);
  if (allowance.owned >= allowance.max) throw ownedWikiQuotaError(allowance.max);
  await enforceRate(m.db, RATE_RULES.wikiCreatePerUser, session.did);
  const title = input.title?.trim() || input.slug;
  const wiki = await createWiki(
    m.db,
    { slug: input.slug, ownerDid: session.did, title, description: input.description ?? '', visibility: input.visibility ?? 'private' },
    actorOf(m),
    { enforceOwnerQuota: true },
  );
  await directoryChanged(m.env);
  return wiki;
}

export function getWikiFor(m: Manager, slug: string): Promise<WikiAccess> {
  return openWiki(m, slug, 'read');
}

export async function updateWikiFor(m: Manager, slug: string, patch: z.infer<typeof wikiPatchSchema>): Promise<WikiAccess> {
  const access = await openWiki(m, slug, 'change');
  requireManager(access.role, slug);
  const change: WikiPatch = {};
  if (patch.title !== undefined) change.title = patch.title;
  if (patch.description !== undefined) change.description = patch.description;
  if (patch.visibility !== undefined) change.visibility = patch.visibility;
  if (patch.git_access !== undefined) change.gitAccess = patch.git_access;
  const wiki = await updateWiki(m.db, access.wiki, change, actorOf(m));
  await directoryChanged(m.env);
  return { ...access, wiki };
}

/**
 * Deletes the wiki, its members, tokens and index, then its git repository.
 * `confirm` must be the slug, typed: there is no undo.
 */
export async function deleteWikiFor(m: Manager, slug: string, confirm: string): Promise<void> {
  const access = await openWiki(m, slug, 'change');
  requireOwner(access.role, slug, 'delete it');
  if (confirm.trim() !== access.wiki.slug) throw new AppError('invalid', `To delete the wiki, type its name, ${access.wiki.slug}, to confirm.`);
  await deleteWiki(m.db, access.wiki, actorOf(m));
  await directoryChanged(m.env);
  await destroyStorage(m, [access.wiki]);
}

/** Removes the repositories of deleted wikis. Their rows are gone: a failure leaves an unreachable directory, so it is logged, not raised. */
export async function destroyStorage(m: Manager, wikis: Wiki[]): Promise<void> {
  for (const wiki of wikis) {
    try {
      unwrapRpc(await m.env.WIKI.destroyWikiStorage(wiki.id));
    } catch (err) {
      console.error(`[platform] the repository of the deleted wiki ${wiki.slug} (${wiki.id}) could not be removed`, err);
    }
  }
}

/** The owner hands the wiki to `to` (a handle or DID), who must be one of its admins. */
export async function transferWikiFor(m: Manager, slug: string, to: string): Promise<WikiAccess> {
  const access = await openWiki(m, slug, 'change');
  requireOwner(access.role, slug, 'hand it to someone else');
  const target = await findUser(m.db, parseOrThrow(z.string().trim().min(1).max(300), to, 'new owner'));
  checkTransfer(access.role, await getRole(m.db, access.wiki.id, target.did), slug);
  const wiki = await transferOwnership(m.db, access.wiki, target.did, actorOf(m));
  await directoryChanged(m.env);
  return { wiki, role: 'admin' };
}
