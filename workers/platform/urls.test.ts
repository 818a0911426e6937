import assert from 'node:assert/strict';
import { it } from 'node:test';
import { claudeCodeCommand, gitCloneUrl, localReturnPath, mcpUrl, wikiOrigin } from './urls.ts';

it('derives wiki addresses from the public origin, scheme and port included', () => {
  assert.equal(wikiOrigin('https://wiki.example', 'notes'), 'https://notes.wiki.example');
  assert.equal(mcpUrl('http://wiki.localhost:8787', 'notes'), 'http://notes.wiki.localhost:8787/mcp');
  assert.equal(gitCloneUrl('https://wiki.example', 'notes', 'wfpat_x'), 'https://x-token:wfpat_x@notes.wiki.example/.git');
  assert.equal(claudeCodeCommand('https://wiki.example', 'notes'), 'claude mcp add --transport http notes https://notes.wiki.example/mcp --header "Authorization: Bearer TOKEN"');
});

it('sends people back only to paths on the apex', () => {
  assert.equal(localReturnPath('/app/wikis/x?y=1'), '/app/wikis/x?y=1');
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', null, '/a\nb', `/${'x'.repeat(2001)}`]) {
    assert.equal(localReturnPath(bad), '/app', String(bad));
  }
});
