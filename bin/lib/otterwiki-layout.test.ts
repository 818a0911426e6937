import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isLowercaseLayout } from './otterwiki-layout.ts';

it('tells Otterwiki\'s lowercased layout from robot.wtf\'s by a root home.md and mostly lowercase page files', () => {
  assert.equal(isLowercaseLayout(['home.md', 'nas setup.md', 'trips/paris.md', 'trips/paris/photo.JPG']), true);
  assert.equal(isLowercaseLayout(['home.md', 'nas setup.md', 'notes.md', 'README.md']), true, 'one file added by hand');
  assert.equal(isLowercaseLayout(['Home.md', 'NAS_Setup.md']), false);
  assert.equal(isLowercaseLayout(['home.md', 'Home.md', 'notes.md']), false, 'both homes: not Otterwiki\'s');
  assert.equal(isLowercaseLayout(['home.md', 'NAS_Setup.md', 'Trips/Paris.md']), false, 'mostly capitals');
  assert.equal(isLowercaseLayout(['nas setup.md', 'notes.md']), false, 'no home.md');
});
