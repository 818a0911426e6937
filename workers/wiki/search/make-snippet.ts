/**
 * Search snippets made in the worker from a page's text, in time linear in
 * the text: the words around the first cluster of matches that holds every
 * query term (else the best cluster), with every match marked. Reading stops
 * there, so a page full of the query's words costs a few dozen words, not
 * all of them. (FTS5's snippet() does work that grows with the square of a
 * word's occurrences, and runs in the store every wiki shares.)
 *
 * Words are found and compared the way the index's tokenizer does
 * (`porter unicode61 remove_diacritics 2`): letters, digits and private-use
 * characters make words; case and diacritics are folded; words of three or
 * more letters are compared by their Porter stem. A word this approximates
 * differently is at worst left unmarked.
 */
import { stemmer } from 'stemmer';
import type { QueryTerm } from './query-terms.ts';
import { termWords, WORD_CHARS_SOURCE } from './query-terms.ts';
import { SNIPPET_CLOSE, SNIPPET_ELLIPSIS, SNIPPET_OPEN } from './snippet.ts';

/** Words per snippet. */
export const SNIPPET_WORDS = 32;
/**
 * Characters of a page looked through for matches. A match further in (in a
 * very long page) leaves the snippet at the page's opening words.
 */
export const SNIPPET_SCAN_CHARS = 64 * 1024;
/**
 * Most characters of one word, of the text between two words, and of a
 * page without words in a snippet: so a snippet stays short whatever the
 * page holds (a 60,000-letter "word", a run of box-drawing characters).
 */
const MAX_WORD_CHARS = 100;
const MAX_GAP_CHARS = 64;
const MAX_TEXT_CHARS = 400;

const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;
const MARKERS = /[\uE000\uE001]/g;

/** A word as the index keeps it: case and diacritics folded, then stemmed when it has three or more characters. */
function indexForm(word: string): string {
  let folded = word.toLowerCase();
  if (NON_ASCII.test(folded)) folded = folded.normalize('NFD').replace(MARKS, '');
  return folded.length >= 3 ? stemmer(folded) : folded;
}

/** One query word as the matcher compares it. */
interface WordPattern {
  form: string;
  /** Matches any word whose form starts with `form` (the last word of a prefix term). */
  prefix: boolean;
  /**
   * What a word's folded text must start with before stemming it is worth
   * trying: a Porter stem changes at most its last character, so a word
   * stemming to `form` starts with `form` less one character.
   */
  lead: string;
}

/** Decides which words of a text match which terms, stemming each distinct candidate word once. */
export class TermMatcher {
  readonly terms: readonly WordPattern[][];
  readonly #forms = new Map<string, string>();

  constructor(terms: readonly QueryTerm[]) {
    this.terms = terms
      .map((t) => {
        const words = termWords(t.text);
        return words.map((w, i) => {
          const form = indexForm(w);
          return { form, prefix: t.prefix && i === words.length - 1, lead: form.slice(0, Math.max(0, form.length - 1)) };
        });
      })
      .filter((words) => words.length > 0);
  }

  /**
   * Whether the word `text[start..end)` may match `pattern`: false when its
   * leading ASCII letters already differ from the pattern's lead. Reads
   * characters in place, so the many words that cannot match cost no string.
   */
  static mayMatch(text: string, start: number, end: number, pattern: WordPattern): boolean {
    const lead = pattern.lead;
    if (end - start < lead.length) return false;
    for (let k = 0; k < lead.length; k++) {
      let c = text.charCodeAt(start + k);
      if (c >= 128) return true; // folding may change it: decide on the whole word
      if (c >= 65 && c <= 90) c += 32;
      if (c !== lead.charCodeAt(k)) return false;
    }
    return true;
  }

  /** Whether `word` (as written in the page) matches `pattern`. */
  matches(word: string, pattern: WordPattern): boolean {
    let form = this.#forms.get(word);
    if (form === undefined) {
      form = indexForm(word);
      this.#forms.set(word, form);
    }
    return pattern.prefix ? form.startsWith(pattern.form) : form === pattern.form;
  }
}

/** Where the words of a text start and end (offsets), in reused buffers: a page has thousands. */
class WordSpans {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  count = 0;

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }

  word(text: string, i: number): string {
    return text.slice(this.starts[i], this.ends[i]);
  }
}

const spans = new WordSpans();
const WORD_CHAR = new RegExp(`^${WORD_CHARS_SOURCE}$`, 'u');
/** Per ASCII code: 1 for the letters and digits the tokenizer keeps in words. */
const ASCII_WORD = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0));

/** How many UTF-16 units of word character start at `i` (0 for a separator). */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  const unit = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  return WORD_CHAR.test(text.slice(i, i + unit)) ? unit : 0;
}

/** A match: words `first`..`last` (inclusive) are one occurrence of term `term`. */
interface Hit {
  first: number;
  last: number;
  term: number;
}

/** Words read between checks for a finished snippet: small, so a dense page stops early. */
const SCAN_CHUNK = 32;

/** A window of words: `start`..`end` (exclusive). */
interface WordWindow {
  start: number;
  end: number;
}

/**
 * A window of `size` words around hits `from`..`to` (exclusive), the
 * matches centred among the words around them.
 */
function centredWindow(hits: readonly Hit[], from: number, to: number, size: number): WordWindow {
  const first = hits[from]!.first;
  const last = hits[to - 1]!.last;
  const start = Math.max(0, first - Math.max(0, Math.floor((size - (last - first + 1)) / 2)));
  return { start, end: start + size };
}

/**
 * Watches hits go by, in order, for the first window of `size` words that
 * holds every term: the deque of recent hits whose last word is within
 * `size` words of the oldest one's first.
 */
class EveryTermWindow {
  readonly #hits: readonly Hit[];
  readonly #termCount: number;
  readonly #size: number;
  readonly #counts: number[];
  #distinct = 0;
  #from = 0;

  constructor(hits: readonly Hit[], termCount: number, size: number) {
    this.#hits = hits;
    this.#termCount = termCount;
    this.#size = size;
    this.#counts = new Array<number>(termCount).fill(0);
  }

  /** Takes in hit `to - 1`; the window once it holds every term, else null. */
  add(to: number): WordWindow | null {
    const hits = this.#hits;
    const hit = hits[to - 1]!;
    // A window always holds its newest hit, even a phrase longer than the window.
    while (this.#from < to - 1 && hit.last >= hits[this.#from]!.first + this.#size) {
      if (--this.#counts[hits[this.#from]!.term]! === 0) this.#distinct--;
      this.#from++;
    }
    if (this.#counts[hit.term]!++ === 0) this.#distinct++;
    return this.#distinct === this.#termCount ? centredWindow(hits, this.#from, to, this.#size) : null;
  }
}

/** What scanning a text found: its matches in order, and the window that holds every term, if one does. */
interface ScanResult {
  hits: Hit[];
  /** The first window of the snippet's size holding every term; null when none does. */
  window: WordWindow | null;
  /** Whether every word of the text is in `spans` (false when the scan stopped after `window`). */
  complete: boolean;
}

/**
 * Splits `text` into `spans` and finds the matches of `matcher`'s terms, in
 * order. Stops once a window of `size` words holds every term and every
 * word of that window has been read and matched, so a page dense with the
 * query's words costs a few dozen words. Linear in the text.
 */
function scan(text: string, matcher: TermMatcher, size: number): ScanResult {
  spans.count = 0;
  const terms = matcher.terms;
  const longest = Math.max(1, ...terms.map((t) => t.length));
  const hits: Hit[] = [];
  const watcher = new EveryTermWindow(hits, terms.length, size);
  let window: WordWindow | null = null;
  // Words where a term's first word matched; each becomes a hit once its other words are read and match.
  let candidates: Hit[] = [];
  for (let i = 0; i < text.length; ) {
    const chunkEnd = spans.count + SCAN_CHUNK;
    while (i < text.length && spans.count < chunkEnd) {
      const unit = wordCharAt(text, i);
      if (unit === 0) {
        i++;
        continue;
      }
      const start = i;
      i += unit;
      for (let u = wordCharAt(text, i); u > 0 && i < text.length; u = wordCharAt(text, i)) i += u;
      const index = spans.count;
      spans.push(start, i);
      for (let t = 0; t < terms.length; t++) {
        const first = terms[t]![0]!;
        if (TermMatcher.mayMatch(text, start, i, first) && matcher.matches(text.slice(start, i), first)) candidates.push({ first: index, last: index, term: t });
      }
    }
    candidates = confirmPhrases(text, matcher, candidates, i >= text.length, (hit) => {
      hits.push(hit);
      window ??= watcher.add(hits.length);
    });
    // Done when the window's words, a phrase starting in it and one word after it (for the ellipsis) are read.
    if (window !== null && spans.count > (window as WordWindow).end + longest) return { hits, window, complete: false };
  }
  return { hits, window, complete: true };
}

/**
 * Turns each candidate whose phrase's words are all read into a hit (passed
 * to `found`, in order) when they match; returns the candidates still
 * waiting for words, none when the text is `ended`.
 */
function confirmPhrases(text: string, matcher: TermMatcher, candidates: readonly Hit[], ended: boolean, found: (hit: Hit) => void): Hit[] {
  const waiting: Hit[] = [];
  for (const c of candidates) {
    const pattern = matcher.terms[c.term]!;
    const last = c.first + pattern.length - 1;
    if (last >= spans.count) {
      if (!ended) waiting.push(c);
      continue;
    }
    let whole = true;
    for (let k = 1; k < pattern.length && whole; k++) {
      const w = c.first + k;
      whole = TermMatcher.mayMatch(text, spans.starts[w]!, spans.ends[w]!, pattern[k]!) && matcher.matches(spans.word(text, w), pattern[k]!);
    }
    if (whole) found({ first: c.first, last, term: c.term });
  }
  return waiting;
}

/**
 * The first word of the best window of `size` words: the one holding the
 * most different terms, then the most matches. A sliding window over the
 * hits, so linear in their number.
 */
function bestWindow(hits: readonly Hit[], termCount: number, size: number): WordWindow | null {
  if (hits.length === 0) return null;
  const counts = new Array<number>(termCount).fill(0);
  let distinct = 0;
  let best = { score: -1, from: 0, to: 0 };
  let to = 0;
  for (let from = 0; from < hits.length; from++) {
    const limit = hits[from]!.first + size;
    // A window always holds its first hit, even a phrase longer than the window.
    while (to < hits.length && (to <= from || hits[to]!.last < limit)) {
      if (counts[hits[to]!.term]!++ === 0) distinct++;
      to++;
    }
    const score = distinct * hits.length + (to - from);
    if (score > best.score) best = { score, from, to };
    if (--counts[hits[from]!.term]! === 0) distinct--;
  }
  return centredWindow(hits, best.from, best.to, size);
}

/**
 * Words `start`..`end` (exclusive) of `text` (as `spans` holds them) with
 * the text between them, each word for which `marked` says so between the
 * markers; the text before the first word or after the last when the clip
 * reaches them, and an ellipsis where words were left out (after the last,
 * too, when `more`).
 */
function clip(text: string, start: number, end: number, more: boolean, marked: (i: number) => boolean): string {
  const count = spans.count;
  if (count === 0) return capped(text.trim(), MAX_TEXT_CHARS);
  const last = Math.min(end, count) - 1;
  let out = start > 0 ? SNIPPET_ELLIPSIS : capped(text.slice(0, spans.starts[0]).trimStart(), MAX_GAP_CHARS);
  for (let i = start; i <= last; i++) {
    if (i > start) out += capped(text.slice(spans.ends[i - 1], spans.starts[i]), MAX_GAP_CHARS);
    const word = capped(spans.word(text, i), MAX_WORD_CHARS);
    out += marked(i) ? `${SNIPPET_OPEN}${word}${SNIPPET_CLOSE}` : word;
  }
  return out + (last < count - 1 || more ? SNIPPET_ELLIPSIS : capped(text.slice(spans.ends[last]).trimEnd(), MAX_GAP_CHARS));
}

/** `text` cut to at most `max` characters, never inside a surrogate pair. */
function head(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max);
}

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
function capped(text: string, max: number): string {
  return text.length <= max ? text : head(text, max) + SNIPPET_ELLIPSIS;
}

/**
 * Up to `size` words of `body` around its best matches for `matcher`'s
 * terms, each match between SNIPPET_OPEN and SNIPPET_CLOSE, and
 * SNIPPET_ELLIPSIS where text was left out: the same form as FTS5's
 * snippet(), for snippetToHtml and snippetToText. The page's own marker
 * characters are replaced by spaces first, so every marker is ours.
 */
export function makeSnippet(body: string, matcher: TermMatcher, size = SNIPPET_WORDS): string {
  const text = head(body, SNIPPET_SCAN_CHARS).replace(MARKERS, ' ');
  const { hits, window: everyTerm, complete } = scan(text, matcher, size);
  const more = body.length > SNIPPET_SCAN_CHARS;
  if (complete && more && spans.count > 0) spans.count--; // the last word may be cut short
  const best = everyTerm ?? bestWindow(hits, matcher.terms.length, size);
  // Nothing matched in the text (a title-only match, or a match past SNIPPET_SCAN_CHARS): its opening words.
  if (!best) return clip(text, 0, size, more, () => false);
  // Near the end, a full window ending with the text rather than a short one.
  const start = Math.max(0, Math.min(best.start, spans.count - size));
  const window = { start, end: start + size };
  const marked = new Uint8Array(size);
  for (const h of hits) {
    for (let i = Math.max(h.first, window.start); i <= h.last && i < window.end; i++) marked[i - window.start] = 1;
  }
  return clip(text, window.start, window.end, more, (i) => marked[i - window.start] === 1);
}
