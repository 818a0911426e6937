import assert from 'node:assert/strict';
import { it } from 'node:test';
import { claudeCodeCommand, gitCloneUrl, mcpUrl, wikiOrigin } from './urls.ts';

it('derives wiki addresses from the public origin, scheme and port included', () => {
  assert.equal(wikiOrigin('https://wiki.example', 'notes'), 'https://notes.wiki.example');
  assert.equal(mcpUrl('http://wiki.localhost:8787', 'notes'), 'http://notes.wiki.localhost:8787/mcp');
  assert.equal(gitCloneUrl('https://wiki.example', 'notes', 'wfpat_x'), 'https://x-token:wfpat_x@notes.wiki.example/.git');
  assert.equal(claudeCodeCommand('https://wiki.example', 'notes'), 'claude mcp add --transport http notes https://notes.wiki.example/mcp --header "Authorization: Bearer TOKEN"');
});
