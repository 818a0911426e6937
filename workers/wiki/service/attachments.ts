/** Attachments: files in a page's folder, listed from the index, stored and read through git. */
import { and, asc, eq } from 'drizzle-orm';
import { attachments } from '../../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { Identity } from '../git/commit-identity.ts';
import { attachmentFilesAt } from '../index/page-files-at.ts';
import { attachmentDirOfFile } from '../pages/attachments.ts';
import { secureAttachmentName } from '../pages/attachment-name.ts';
import { pageRow } from './pages.ts';
import type { Repository } from './repository.ts';
import { commitWrite } from './write.ts';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface AttachmentSummary {
  filename: string;
  size: number;
  mime_type: string;
  revision: string;
  updated_at: string;
}

const MIME: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', avif: 'image/avif',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json', zip: 'application/zip',
  mp3: 'audio/mpeg', mp4: 'video/mp4', webm: 'video/webm', html: 'text/html', htm: 'text/html',
};

export function mimeType(name: string): string {
  return MIME[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

async function requirePage(repo: Repository, key: string): Promise<{ filePath: string }> {
  const row = await pageRow(repo, key);
  if (!row) throw new AppError('not_found', `Page not found: ${key}`);
  return row;
}

function safeName(name: string): string {
  const r = secureAttachmentName(name);
  if (!r.ok) throw r.error;
  return r.name;
}

export async function listAttachments(repo: Repository, key: string): Promise<AttachmentSummary[]> {
  await requirePage(repo, key);
  const rows = await repo.db.select().from(attachments).where(and(eq(attachments.wikiId, repo.wiki.id), eq(attachments.page, key))).orderBy(asc(attachments.name));
  return rows.map((a) => ({ filename: a.name, size: a.size, mime_type: mimeType(a.name), revision: a.updatedCommit, updated_at: new Date(a.updatedAt).toISOString() }));
}

export async function readAttachment(repo: Repository, key: string, name: string): Promise<{ filename: string; bytes: Uint8Array; mime_type: string; revision: string }> {
  const [row] = await repo.db.select().from(attachments).where(and(eq(attachments.wikiId, repo.wiki.id), eq(attachments.page, key), eq(attachments.name, name)));
  if (!row) throw new AppError('not_found', `No attachment "${name}" on page ${key}.`);
  return { filename: row.name, bytes: await repo.reader.blob(row.blobOid), mime_type: mimeType(row.name), revision: row.updatedCommit };
}

export async function putAttachment(repo: Repository, apex: string, key: string, input: { filename: string; bytes: Uint8Array; author: Identity; message?: string }): Promise<{ filename: string; size: number; mime_type: string; revision: string }> {
  const filename = safeName(input.filename);
  if (input.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new AppError('too_large', `An attachment may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`);
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `Attach ${filename} to ${key}`,
    changes: async () => {
      // Over the file that is the attachment now, if any (it may be in a twin folder); else beside the
      // page's own file, so a legacy page with spaces keeps its folder with spaces.
      const page = await requirePage(repo, key);
      const [current] = await repo.db.select({ filePath: attachments.filePath }).from(attachments).where(and(eq(attachments.wikiId, repo.wiki.id), eq(attachments.page, key), eq(attachments.name, filename)));
      return [{ path: current?.filePath ?? `${attachmentDirOfFile(page.filePath)}${filename}`, content: input.bytes }];
    },
  });
  return { filename, size: input.bytes.byteLength, mime_type: mimeType(filename), revision: result.commit ?? (result as { head: string }).head };
}

export async function deleteAttachment(repo: Repository, apex: string, key: string, name: string, input: { author: Identity; message?: string }): Promise<{ filename: string; revision: string }> {
  const result = await commitWrite(repo, apex, {
    author: input.author,
    message: input.message?.trim() || `Delete attachment ${name} of ${key}`,
    changes: async (head) => {
      const [row] = await repo.db.select().from(attachments).where(and(eq(attachments.wikiId, repo.wiki.id), eq(attachments.page, key), eq(attachments.name, name)));
      if (!row) throw new AppError('not_found', `No attachment "${name}" on page ${key}.`);
      // Its twins too (the same name in another folder of the page): one left behind would become the attachment.
      const twins = (await attachmentFilesAt(repo.reader, await repo.reader.rootTree(head), key)).filter((f) => f.name === name);
      return [...new Set([row.filePath, ...twins.map((f) => f.path)])].map((path) => ({ path, delete: true as const }));
    },
  });
  return { filename: name, revision: result.commit ?? (result as { head: string }).head };
}
