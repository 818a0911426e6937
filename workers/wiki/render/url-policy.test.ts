import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IMAGE_SCHEMES, isExternalUrl, LINK_SCHEMES, safeUrl } from './url-policy.ts';

it('allows relative URLs and http(s)/mailto links', () => {
  for (const url of ['/Page', 'Page', 'Dir/Page#x', '#top', '?q=1', './a.png', '../b', 'https://example.com', 'HTTP://EXAMPLE.COM', 'mailto:a@b.c', '//cdn.example.com/x']) {
    assert.equal(safeUrl(url, LINK_SCHEMES), url, url);
  }
  assert.equal(safeUrl('/a:b', LINK_SCHEMES), '/a:b');
  assert.equal(safeUrl(' /My Page ', LINK_SCHEMES), '/My%20Page');
});

it('refuses every other scheme, however it is disguised', () => {
  for (const url of [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\x01javascript:alert(1)', 'java\tscript:alert(1)',
    'java\nscript:alert(1)', 'java script:alert(1)', 'java\u200bscript:alert(1)', 'vbscript:x', 'data:text/html,x',
    'data:image/png;base64,AAAA', 'file:///etc/passwd', 'ftp://example.com', 'c:\\x', 'tel:123',
  ]) {
    assert.equal(safeUrl(url, LINK_SCHEMES), null, JSON.stringify(url));
  }
  assert.equal(safeUrl('mailto:a@b.c', IMAGE_SCHEMES), null);
});

it('tells links that leave the wiki', () => {
  assert.equal(isExternalUrl('https://example.com'), true);
  assert.equal(isExternalUrl('//example.com'), true);
  assert.equal(isExternalUrl('/\\example.com'), true);
  assert.equal(isExternalUrl('/Page'), false);
  assert.equal(isExternalUrl('mailto:a@b.c'), false);
});
