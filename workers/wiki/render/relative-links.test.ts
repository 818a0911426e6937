import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from './index.ts';
import { resolveRelative } from './relative-links.ts';
import type { RenderOptions } from './types.ts';

const OPTIONS: RenderOptions = {
  pageExists: () => true,
  linkHref: (name) => `/${name.split('/').map(encodeURIComponent).join('/')}`,
  attachmentHref: (page, file) => `/${page.split('/').map(encodeURIComponent).join('/')}/a/${encodeURIComponent(file)}`,
  currentPage: 'Notes/Trip',
};

function html(markdown: string, options: RenderOptions = OPTIONS): string {
  return renderMarkdown(markdown, options).html;
}

describe('resolveRelative', () => {
  it('puts ./file.ext among the page\'s attachments and ./Name under the page', () => {
    assert.deepEqual(resolveRelative('Notes/Trip', './photo.png'), { kind: 'attachment', page: 'Notes/Trip', file: 'photo.png', suffix: '' });
    assert.deepEqual(resolveRelative('Notes/Trip', './Day_1#morning'), { kind: 'page', page: 'Notes/Trip/Day_1', suffix: '#morning' });
    assert.deepEqual(resolveRelative('Notes/Trip', './Day 1/map.png?x=1'), { kind: 'attachment', page: 'Notes/Trip/Day 1', file: 'map.png', suffix: '?x=1' });
  });

  it('follows . and .. (also percent-encoded, and with backslashes) inside the wiki', () => {
    assert.deepEqual(resolveRelative('Notes/Trip', './../map.png'), { kind: 'attachment', page: 'Notes', file: 'map.png', suffix: '' });
    assert.deepEqual(resolveRelative('Notes/Trip', './%2e%2e/%2E%2E/Home'), { kind: 'page', page: 'Home', suffix: '' });
    assert.deepEqual(resolveRelative('Notes/Trip', './.\\..\\Other'), { kind: 'page', page: 'Notes/Other', suffix: '' });
    assert.deepEqual(resolveRelative('Notes/Trip', './my%20photo.png'), { kind: 'attachment', page: 'Notes/Trip', file: 'my photo.png', suffix: '' });
  });

  it('refuses what climbs above the wiki, lands on nothing, or hides a separator or control character', () => {
    assert.deepEqual(resolveRelative('Notes/Trip', './../../../etc/passwd'), { kind: 'refused' });
    assert.deepEqual(resolveRelative('Notes/Trip', './%2e%2e/%2e%2e/%2e%2e/x.png'), { kind: 'refused' });
    assert.deepEqual(resolveRelative('Notes/Trip', './../..'), { kind: 'refused' });
    assert.deepEqual(resolveRelative('Notes/Trip', './a%2F..%2F..%2F..%2Fx.png'), { kind: 'refused' });
    assert.deepEqual(resolveRelative('Notes/Trip', './a%5Cb.png'), { kind: 'refused' });
    assert.deepEqual(resolveRelative('Notes/Trip', './a%0Ab.png'), { kind: 'refused' });
  });
});

describe('./ links and images in pages', () => {
  it('show the page\'s attachment and link its subpages', () => {
    assert.equal(html('![x](./photo.png)'), '<p><img src="/Notes/Trip/a/photo.png" alt="x" class="img-fluid"></p>\n');
    assert.equal(html('[day one](./Day_1)'), '<p><a href="/Notes/Trip/Day_1">day one</a></p>\n');
    assert.equal(html('[map](./../map.pdf "Map")'), '<p><a href="/Notes/a/map.pdf" title="Map">map</a></p>\n');
    assert.equal(html('[r][ref]\n\n[ref]: ./notes.txt'), '<p><a href="/Notes/Trip/a/notes.txt">r</a></p>\n');
  });

  it('encode what they resolve to', () => {
    assert.equal(html('![x](./my%20photo%3F.png)'), '<p><img src="/Notes/Trip/a/my%20photo%3F.png" alt="x" class="img-fluid"></p>\n');
    assert.equal(html('[x](./javascript:alert(1))'), '<p><a href="/Notes/Trip/javascript%3Aalert(1)">x</a></p>\n');
  });

  it('refuse to leave the wiki: the link goes nowhere, the image has no source', () => {
    assert.equal(html('[x](./../../../etc/passwd)'), '<p><a href="#harmful-link">x</a></p>\n');
    assert.equal(html('![x](./../../../../x.png)'), '<p><img alt="x" class="img-fluid"></p>\n');
  });

  it('record subpage links in the link graph, never attachments', () => {
    assert.deepEqual(renderMarkdown('[a](./Day_1) ![b](./photo.png) [c](./../Other)', OPTIONS).links, ['Notes/Trip/Day_1', 'Notes/Other']);
  });

  it('leave other relative links, and ./ links when the page is not known, as written', () => {
    assert.equal(html('![x](photo.png) [y](../Up)'), '<p><img src="photo.png" alt="x" class="img-fluid"> <a href="../Up">y</a></p>\n');
    const { currentPage: _, ...withoutPage } = OPTIONS;
    assert.equal(html('![x](./photo.png)', withoutPage), '<p><img src="./photo.png" alt="x" class="img-fluid"></p>\n');
  });

  it('without attachmentHref, put attachments under the page\'s link', () => {
    const { attachmentHref: _, ...withoutAttachments } = OPTIONS;
    assert.equal(html('![x](./a.png)', withoutAttachments), '<p><img src="/Notes/Trip/a/a.png" alt="x" class="img-fluid"></p>\n');
  });
});
