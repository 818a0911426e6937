/**
 * The wiki name offered to someone making their first wiki: their handle's
 * first label, made into a valid slug (`alice.bsky.social` → `alice`), with a
 * number added when it is reserved or taken.
 */
import { SLUG_MAX, SLUG_MIN, slugProblem } from '../lib/slugs.ts';

/** The slug-shaped form of a handle's first label (`Jo_Doe.example` → `jo-doe`), padded to the minimum length. */
export function baseSlugFromHandle(handle: string): string {
  const label = handle.trim().replace(/^@/, '').split('.')[0] ?? '';
  let slug = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  if (slug.length < SLUG_MIN) slug = slug ? `${slug}-wiki` : 'my-wiki';
  return slug;
}

/** Names to try in order: the base, then `base-wiki`, then `base-2`, `base-3`, … (each cut to fit). */
export function slugCandidates(base: string, count = 12): string[] {
  const fit = (stem: string, suffix: string): string => `${stem.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
  const out = [base, fit(base, '-wiki')];
  for (let n = 2; out.length < count; n++) out.push(fit(base, `-${n}`));
  return [...new Set(out)].filter((s) => slugProblem(s) === null);
}

/** The first candidate for `handle` that is valid and not in `taken`; '' when all are taken (the person types one). */
export function suggestSlug(handle: string, taken: ReadonlySet<string>): string {
  return slugCandidates(baseSlugFromHandle(handle)).find((s) => !taken.has(s)) ?? '';
}
