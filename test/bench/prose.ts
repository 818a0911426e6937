/**
 * A second search corpus, with words distributed as in written text: 500
 * pages of 1–8 KB (as the main corpus) drawn from 5,000 words by Zipf's law,
 * so a few words are in every page and most are in a few. The main corpus
 * (wiki.ts) has 20 words, each in every page about 65 times: every query
 * there ranks all 500 pages, the worst case for a search. This one measures a
 * new query as people's wikis meet it.
 */

/** Words in the vocabulary, by rank: word r is drawn with weight 1 / (r + 1). */
const VOCABULARY = 5_000;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 'de', 'vu', 'ga', 'zo', 'he', 'bi', 'fa', 'ju'];

/** The word of rank `r`: its base-16 digits as syllables, three or more (distinct words, none a stem of another). */
export function proseWord(r: number): string {
  let s = '';
  let x = r;
  for (let i = 0; i < 3 || x > 0; i++) {
    s += SYLLABLES[x % 16];
    x = Math.floor(x / 16);
  }
  return s;
}

/** Cumulative Zipf weights of the ranks, for drawing by binary search. */
const CUMULATIVE = (() => {
  const c = new Float64Array(VOCABULARY);
  let sum = 0;
  for (let r = 0; r < VOCABULARY; r++) c[r] = sum += 1 / (r + 1);
  return c.map((v) => v / sum);
})();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** A rank drawn by Zipf's law. */
function drawRank(r: () => number): number {
  const u = r();
  let lo = 0;
  let hi = VOCABULARY - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Page `i` of `pages`: 1–8 KB of sentences of 6–17 words, with three links. */
export function proseText(i: number, pages: number): string {
  const size = 1024 + ((i * 7919) % 7168);
  const r = rng(i + 1);
  const lines = [`# Note ${i}`, '', `See [[Note ${(i + 1) % pages}]], [[Note ${(i * 31) % pages}]] and [[Topic ${i % 20}]].`, ''];
  let length = lines.join('\n').length;
  while (length < size) {
    const words = Array.from({ length: 6 + Math.floor(r() * 12) }, () => proseWord(drawRank(r)));
    const sentence = `${words.join(' ')}.`;
    lines.push(sentence);
    length += sentence.length + 1;
  }
  return lines.join('\n') + '\n';
}

/**
 * 60 different words for queries, drawn as a person's query words are, by
 * how often they are written: most common words are among them, and so are
 * rarer ones. Three of them, `{w1} {w16} {w59}` (load.ts), make a new query
 * for each of the first 56,640 requests, with each of the three words
 * changing every 1, 16 and 59 requests.
 */
export const PROSE_QUERY_WORDS: string[] = (() => {
  const r = rng(2026);
  const ranks = new Set<number>();
  while (ranks.size < 60) ranks.add(drawRank(r));
  return [...ranks].map(proseWord);
})();
