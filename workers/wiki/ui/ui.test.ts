import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { parsePageRoute } from './page-route.ts';
import { newPageText, normalizeText } from './page-text.ts';
import { attachmentUrl, diffUrl, pageUrl, revisionUrl, signInUrl } from './urls.ts';
import { diffTable } from './views/diff.ts';
import { indexTree, sidebarTree } from './views/tree.ts';

it('reads a page and its action from the end of the path', () => {
  assert.deepEqual(parsePageRoute('/'), { kind: 'view', key: 'Home', canonical: true });
  assert.deepEqual(parsePageRoute('/A/B'), { kind: 'view', key: 'A/B', canonical: true });
  assert.deepEqual(parsePageRoute('/A%20B/'), { kind: 'view', key: 'A_B', canonical: false });
  assert.deepEqual(parsePageRoute('/Notes.md'), { kind: 'view', key: 'Notes', canonical: false });
  assert.deepEqual(parsePageRoute('/A/B/edit'), { kind: 'action', key: 'A/B', action: 'edit' });
  assert.deepEqual(parsePageRoute('/A/history'), { kind: 'action', key: 'A', action: 'history' });
  assert.deepEqual(parsePageRoute('/edit'), { kind: 'view', key: 'edit', canonical: true }, 'an action needs a page before it');
  assert.deepEqual(parsePageRoute('/A/view/0123abc'), { kind: 'revision', key: 'A', revision: '0123abc' });
  assert.deepEqual(parsePageRoute('/A/view/xyz'), { kind: 'view', key: 'A/view/xyz', canonical: true });
  assert.deepEqual(parsePageRoute('/A/B/a/map%20v2.png'), { kind: 'attachment', key: 'A/B', name: 'map v2.png' });
  assert.deepEqual(parsePageRoute('/A/attachments/delete'), { kind: 'attachment-delete', key: 'A' });
  assert.deepEqual(parsePageRoute('/A/unknown'), { kind: 'view', key: 'A/unknown', canonical: true });
});

it('refuses malformed and impossible page paths', () => {
  for (const bad of ['/%E0%A4%A', '/../x', '/.git/config', '/A/../B/edit', '/api/x', '/-/x/edit']) {
    assert.throws(() => parsePageRoute(bad), (e: unknown) => e instanceof AppError && e.status === 400, bad);
  }
});

it('builds addresses with each segment encoded', () => {
  assert.equal(pageUrl('A/Café ?#'), '/A/Caf%C3%A9%20%3F%23');
  assert.equal(pageUrl('A/B', 'edit'), '/A/B/edit');
  assert.equal(revisionUrl('A', 'abc1234'), '/A/view/abc1234');
  assert.equal(diffUrl('A', 'b', 'a'), '/A/diff?from=a&to=b');
  assert.equal(diffUrl('A', 'b'), '/A/diff?to=b');
  assert.equal(attachmentUrl('A', 'x y.png'), '/A/a/x%20y.png');
  assert.equal(signInUrl('https://wiki.example/', 'https://demo.wiki.example/A?x=1'), 'https://wiki.example/auth/login?return_to=https%3A%2F%2Fdemo.wiki.example%2FA%3Fx%3D1');
  for (const key of ['Home', 'A/B', 'Caf\u00e9/N\u00e4me', 'x?y#z', '%41']) {
    const route = parsePageRoute(pageUrl(key));
    assert.deepEqual(route, { kind: 'view', key, canonical: true }, key);
  }
});

it('saves text the way Otterwiki does', () => {
  assert.equal(normalizeText('# A\r\n\r\nb  \r\n\r\n\r\n'), '# A\n\nb\n');
  assert.equal(normalizeText('\n\n    code\n'), '    code\n');
  assert.equal(normalizeText('  \n \n'), '');
  assert.equal(newPageText('Dir/My_Page'), '# My Page\n\n');
});

it('escapes everything a diff shows', () => {
  const out = diffTable([{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [{ kind: 'removed', oldLine: 1, text: '<script>x</script>' }, { kind: 'added', newLine: 1, text: '"&\'' }] }]).toString();
  assert.match(out, /<del>&lt;script&gt;x&lt;\/script&gt;<\/del>/);
  assert.match(out, /<ins>&quot;&amp;&#39;<\/ins>/);
  assert.match(diffTable([]).toString(), /No differences/);
});

it('draws the page tree', () => {
  const side = sidebarTree([{ name: 'A', isPage: true, isFolder: true }, { name: 'B_C', isPage: false, isFolder: false }], 'A/x').toString();
  assert.match(side, /<li class="folder current"><a href="\/A">A<\/a><\/li><li class="leaf"><a href="\/B_C">B C<\/a><\/li>/);
  const tree = indexTree([{ path: 'A', name: 'A' }, { path: 'A/B', name: 'Bee' }, { path: 'C/D', name: 'D' }]).toString();
  assert.match(tree, /<li class="folder"><a href="\/A">A<\/a><ul class="tree"><li class="leaf"><a href="\/A\/B">B<\/a> <span class="muted">Bee<\/span><\/li><\/ul><\/li>/);
  assert.match(tree, /<span class="folder-name">C\/<\/span>/);
});
