import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TreeEntry } from 'isomorphic-git';
import { attachmentFileAt, attachmentFilesAt, pageFileAt, pageFilesAt } from './page-files-at.ts';

/** A reader over trees given as nested objects: a string is a blob's id, an object a folder. */
function readerOf(root: Record<string, unknown>) {
  const trees = new Map<string, TreeEntry[]>();
  const reads: string[] = [];
  let n = 0;
  const add = (folder: Record<string, unknown>): string => {
    const oid = `tree${n++}`;
    trees.set(oid, Object.entries(folder).map(([path, v]) => (typeof v === 'string' ? { path, oid: v, type: 'blob', mode: '100644' } : { path, oid: add(v as Record<string, unknown>), type: 'tree', mode: '040000' })));
    return oid;
  };
  const rootOid = add(root);
  return { rootOid, reads, reader: { tree: async (oid: string) => (reads.push(oid), trees.get(oid)!) } };
}

it('finds every file of a page, in folders named either way, the underscore file first', async () => {
  const { reader, rootOid } = readerOf({
    'Notes 2024': { 'My Page_v2.md': 'b1', 'My_Page_v2': { 'chart.png': 'b9' }, 'Other.md': 'b8' },
    Notes_2024: { 'My_Page_v2.md': 'b2', 'My Page v2.md': 'b3' },
    'Notes_2024.md': 'b7',
  });
  assert.deepEqual(await pageFilesAt(reader, rootOid, 'Notes_2024/My_Page_v2'), [
    { path: 'Notes_2024/My_Page_v2.md', oid: 'b2' },
    { path: 'Notes 2024/My Page_v2.md', oid: 'b1' },
    { path: 'Notes_2024/My Page v2.md', oid: 'b3' },
  ]);
  assert.deepEqual(await pageFileAt(reader, rootOid, 'Notes_2024/My_Page_v2'), { path: 'Notes_2024/My_Page_v2.md', oid: 'b2' });
  assert.deepEqual(await pageFilesAt(reader, rootOid, 'Notes_2024/Missing'), []);
  assert.equal(await pageFileAt(reader, rootOid, 'Notes_2024/Missing'), null);
});

it('finds a file only a search finds: decomposed Unicode, a name padded with a space', async () => {
  const { reader, rootOid } = readerOf({ 'Cafe\u0301 Menu.md': 'b1', 'Trailing .md': 'b2', 'Cafe.md': 'b3' });
  assert.deepEqual(await pageFileAt(reader, rootOid, 'Café_Menu'), { path: 'Cafe\u0301 Menu.md', oid: 'b1' });
  assert.deepEqual(await pageFileAt(reader, rootOid, 'Trailing'), { path: 'Trailing .md', oid: 'b2' });
});

it('reads only the folders on the page\'s way', async () => {
  const { reader, rootOid, reads } = readerOf({ A: { B: { 'C.md': 'b1' } }, Other: { B: { 'C.md': 'b2' } }, 'A B': { 'C.md': 'b3' } });
  await pageFilesAt(reader, rootOid, 'A/B/C');
  assert.equal(reads.length, 3, 'the root, A, A/B');
});

it('finds a page\'s attachments in every folder that stands for it, the one in its own folder first', async () => {
  const { reader, rootOid } = readerOf({
    'My_Page.md': 'p',
    My_Page: { 'x.png': 'a1', 'Sub.md': 's', '.keep': 'k', Deeper: { 'z.png': 'z' } },
    'My Page': { 'x.png': 'a2', 'y.png': 'b' },
    'My_Page ': { 'x.png': 'a3' },
  });
  assert.deepEqual(await attachmentFilesAt(reader, rootOid, 'My_Page'), [
    { path: 'My_Page/x.png', oid: 'a1', name: 'x.png' },
    { path: 'My Page/x.png', oid: 'a2', name: 'x.png' },
    { path: 'My_Page /x.png', oid: 'a3', name: 'x.png' },
    { path: 'My Page/y.png', oid: 'b', name: 'y.png' },
  ]);
  assert.deepEqual(await attachmentFileAt(reader, rootOid, 'My_Page', 'x.png'), { path: 'My_Page/x.png', oid: 'a1' });
  assert.deepEqual(await attachmentFileAt(reader, rootOid, 'My_Page', 'y.png'), { path: 'My Page/y.png', oid: 'b' });
  assert.equal(await attachmentFileAt(reader, rootOid, 'My_Page', 'Sub.md'), null);
});
