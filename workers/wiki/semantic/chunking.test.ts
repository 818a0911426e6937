import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSection } from '../edit/index.ts';
import { chunkPage, countWords, embeddingText, OVERLAP_WORDS, type Chunk } from './chunking.ts';

/** `n` distinct words, `tag1 tag2 …`, so overlaps and cuts can be checked exactly. */
function w(tag: string, n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `${tag}${from + i}`).join(' ');
}

/** [section, prefix, text] of each chunk, checking index and count on the way. */
function brief(chunks: Chunk[]): Array<[string, string, string]> {
  chunks.forEach((c, i) => {
    assert.equal(c.index, i);
    assert.equal(c.count, chunks.length);
  });
  return chunks.map((c) => [c.section, c.prefix, c.text]);
}

describe('chunkPage', () => {
  it('gives nothing for an empty or blank page', () => {
    assert.deepEqual(chunkPage({ key: 'A', body: '' }), []);
    assert.deepEqual(chunkPage({ key: 'A', body: ' \n\n \t\n' }), []);
    assert.deepEqual(chunkPage({ key: 'A', body: '# Only a heading\n\n## And another\n' }), []);
  });

  it('keeps a small page whole; a first heading repeating the page name is not repeated in the prefix', () => {
    assert.deepEqual(brief(chunkPage({ key: 'Projects/Weekly_Plan', body: '# Weekly Plan\n\nShip it on Friday.\n' })), [['Weekly Plan', 'Projects/Weekly Plan', 'Ship it on Friday.']]);
    assert.deepEqual(brief(chunkPage({ key: 'Notes', body: 'No headings here.\r\n\r\nSecond paragraph.' })), [['', 'Notes', 'No headings here.\n\nSecond paragraph.']]);
  });

  it('names the page by its frontmatter title when there is one', () => {
    assert.deepEqual(brief(chunkPage({ key: 'iran', title: 'Iran Strategy', body: '## Background\n\nText.' })), [['Background', 'Iran Strategy > Background', 'Text.']]);
  });

  it('merges stubs (with their heading line) into the next substantial section; the preamble is never a stub', () => {
    const body = `Intro.\n\n## Alpha\n\n${w('a', 60)}\n\n## Beta\n\nshort stub\n\n## Empty\n\n## Gamma\n\n${w('g', 55)}\n`;
    assert.deepEqual(brief(chunkPage({ key: 'Page', body })), [
      ['', 'Page', 'Intro.'],
      ['Alpha', 'Page > Alpha', w('a', 60)],
      ['Gamma', 'Page > Gamma', `## Beta\n\nshort stub\n\n${w('g', 55)}`],
    ]);
  });

  it('appends trailing stubs to the last substantial section, or keeps them together when there is none', () => {
    const body = `## Main\n\n${w('m', 50)}\n\n## Tail\n\ntail one\n\n### Deeper\n\ntail two\n`;
    assert.deepEqual(brief(chunkPage({ key: 'P', body })), [['Main', 'P > Main', `${w('m', 50)}\n\n## Tail\n\ntail one\n\n### Deeper\n\ntail two`]]);
    const stubs = 'Lead.\n\n## One\n\nfirst\n\n## Two\n\nsecond\n';
    assert.deepEqual(brief(chunkPage({ key: 'P', body: stubs })), [
      ['', 'P', 'Lead.'],
      ['One', 'P > One', 'first\n\n## Two\n\nsecond'],
    ]);
  });

  it('prefixes with at most three headings but keeps the whole path for read_note', () => {
    const body = `# A\n\n## B\n\n### C\n\n#### D\n\n${w('d', 60)}\n`;
    assert.deepEqual(brief(chunkPage({ key: 'Page', body })), [['A > B > C > D', 'Page > A > B > C', w('d', 60)]]);
  });

  it('never splits at a heading inside a code fence', () => {
    const body = `## Code\n\n\`\`\`sh\n# not a heading\necho hi\n\`\`\`\n\n${w('c', 60)}\n`;
    assert.deepEqual(brief(chunkPage({ key: 'P', body })), [['Code', 'P > Code', `\`\`\`sh\n# not a heading\necho hi\n\`\`\`\n\n${w('c', 60)}`]]);
  });

  it('splits a long section at paragraphs into ~150-word pieces, each after the first overlapping the one before by 35 words', () => {
    const paras = [w('p', 100, 1), w('p', 100, 101), w('p', 40, 201), w('p', 100, 241)];
    const chunks = chunkPage({ key: 'Long', body: `## Part\n\n${paras.join('\n\n')}\n` });
    assert.deepEqual(brief(chunks), [
      ['Part', 'Long > Part', paras[0]],
      ['Part', 'Long > Part', `${w('p', OVERLAP_WORDS, 66)}\n\n${paras[1]}\n\n${paras[2]}`],
      ['Part', 'Long > Part', `${w('p', OVERLAP_WORDS, 206)}\n\n${paras[3]}`],
    ]);
  });

  it('splits a paragraph over 300 words at sentences, and a sentence over 300 words at words', () => {
    const sentences = Array.from({ length: 8 }, (_, i) => `${w(`S${i}x`, 39)} end.`); // 40 words each, 320 in all
    const chunks = chunkPage({ key: 'S', body: sentences.join(' ') });
    assert.deepEqual(
      chunks.map((c) => countWords(c.text)),
      [120, 120 + OVERLAP_WORDS, 80 + OVERLAP_WORDS],
    );
    assert.equal(chunks[0]!.text, sentences.slice(0, 3).join(' '));
    assert.ok(chunks[1]!.text.endsWith(`\n\n${sentences.slice(3, 6).join(' ')}`));

    const table = w('t', 400); // no full stops: one "sentence"
    assert.deepEqual(
      chunkPage({ key: 'T', body: table }).map((c) => countWords(c.text)),
      [150, 150 + OVERLAP_WORDS, 100 + OVERLAP_WORDS],
    );
  });

  it('keeps sections apart: no overlap crosses a heading, short sections of a long page stay one chunk', () => {
    const body = `## One\n\n${w('a', 120)}\n\n${w('b', 120)}\n\n${w('c', 120)}\n\n## Two\n\n${w('z', 80)}\n`;
    const chunks = chunkPage({ key: 'P', body });
    assert.deepEqual(
      chunks.map((c) => [c.section, countWords(c.text)]),
      [['One', 120], ['One', 120 + OVERLAP_WORDS], ['One', 120 + OVERLAP_WORDS], ['Two', 80]],
    );
    assert.equal(chunks[3]!.text, w('z', 80));
  });

  it('gives heading paths that read_note resolves to the chunk\'s own section', () => {
    const body = `# Guide\n\nWelcome.\n\n## Setup\n\n${w('s', 60)}\n\n### Install\n\n${w('i', 60)}\n`;
    for (const c of chunkPage({ key: 'Guide', body }).filter((c) => c.section)) {
      assert.ok(readSection(body, c.section).includes(c.text.split('\n').at(-1)!), c.section);
    }
  });

  it('embeds the prefix in brackets before the text', () => {
    assert.equal(embeddingText({ prefix: 'P > A', text: 'hello' }), '[P > A] hello');
  });
});
