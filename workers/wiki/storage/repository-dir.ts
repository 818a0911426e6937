/**
 * Where each wiki's bare repository lives in the disk service: `/<wiki id>.git`.
 * Named by the wiki's id, never its slug, so a slug freed by a deleted wiki
 * can never meet the old wiki's history.
 */

/** Wiki ids are `wk_…` (directory/wikis.ts); anything with a dot or slash could leave the repository's directory. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True for a string that can name a wiki's repository. */
export function isWikiId(s: string): boolean {
  return SAFE_ID.test(s);
}

export function repositoryDir(wikiId: string): string {
  if (!isWikiId(wikiId)) throw new Error(`not a wiki id: ${JSON.stringify(wikiId.slice(0, 80))}`);
  return `/${wikiId}.git`;
}

/**
 * Removes a repository and everything in it (the disk service deletes
 * directories recursively). False when there was none: a wiki never opened
 * has no repository yet.
 */
export async function removeRepository(disk: Fetcher, wikiId: string): Promise<boolean> {
  const res = await disk.fetch(`http://disk${repositoryDir(wikiId)}`, { method: 'DELETE' });
  await res.body?.cancel();
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`the disk service answered ${res.status} when removing the repository of ${wikiId}`);
  return true;
}
