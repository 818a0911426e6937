/** Wiki-prefixed words: the prefix's shape, and (against a real sqld) that the tokenizer treats prefixed words as it treats bare ones. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSqld, type TestSqld } from '../../../test/helpers/sqld.ts';
import { ftsWikiToken, prefixWords, wikiWordPrefix } from './wiki-words.ts';

describe('wikiWordPrefix', () => {
  it('is five consonants, the same for the same id and spread over ids', () => {
    assert.equal(wikiWordPrefix('wk_abc'), wikiWordPrefix('wk_abc'));
    const prefixes = new Set(Array.from({ length: 1000 }, (_, i) => wikiWordPrefix(`wk_${i.toString(36)}`)));
    for (const p of prefixes) assert.match(p, /^[bcdfghjklmnpqrstvwxz]{5}$/);
    assert.ok(prefixes.size > 990, `${prefixes.size} prefixes for 1,000 ids`);
  });
});

describe('prefixWords', () => {
  it('prefixes each word the tokenizer sees and drops what it would skip', () => {
    assert.equal(prefixWords('zz', 'Café, au-lait! 2024 日本語'), 'zzCafé zzau zzlait zz2024 zz日本語');
    assert.equal(prefixWords('zz', ' -- '), '');
  });
  it('makes a wiki id one token', () => {
    assert.equal(ftsWikiToken('wk_a-b_c'), 'wkabc');
  });
});

describe('in FTS5 (porter unicode61 remove_diacritics 2)', () => {
  let s: TestSqld;
  before(async () => {
    s = await startTestSqld({ migrate: false });
    for (const t of ['bare', 'prefixed']) {
      await s.db.run(sql.raw(`create virtual table ${t} using fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')`));
      await s.db.run(sql.raw(`create virtual table ${t}_words using fts5vocab(${t}, 'row')`));
    }
  });
  after(() => s?.stop());

  it('stems, folds and splits a prefixed word as the bare word, but for two-letter words ending in s', async () => {
    const text = [
      'running runner runs ran relational conditional rational valency digitizer operator feudalism',
      'hopefulness goodness formality sensitivity sensibility triplicate formative formalize electricity',
      'hopeful allowance inference adjustable defensible irritant replacement adjustment dependent adoption',
      'communism activate angularity homologous effective bowdlerize probate rate cease controlling rolling',
      'generalizations oscillators agreed plastered motoring sing sized hopping tanned falling hissing fizzed',
      'failing filing happy sky caresses ponies ties caress cats feed agreed disabled matting mating meeting',
      'milling messing meetings CAFÉ Café naïve Ærøskøbing straße İstanbul ÉCOLE 日本語 x9 2024 a1b2',
      'is as at be by it of on the an to we us am',
    ].join(' ');
    await s.db.run(sql`insert into bare (body) values (${text})`);
    await s.db.run(sql`insert into prefixed (body) values (${prefixWords('bcdfg', text)})`);
    const terms = async (t: string) => (await s.db.all<{ term: string }>(sql.raw(`select term from ${t}_words order by term`))).map((r) => r.term);
    const bare = await terms('bare');
    const prefixed = await terms('prefixed');
    assert.ok(prefixed.every((t) => t.startsWith('bcdfg')));
    // Porter leaves words under 3 letters alone; prefixed, "is" is long enough to lose its s.
    const expected = bare.map((t) => ({ is: 'i', as: 'a', us: 'u' })[t] ?? t);
    assert.deepEqual(prefixed.map((t) => t.slice(5)).sort(), expected.sort());
  });
});
