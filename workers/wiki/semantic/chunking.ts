/**
 * Heading-aware chunking of a page for meaning-based search. robot.wtf's
 * algorithm (wiki-reference.md §9.2) is the baseline:
 *
 * 1. The body (frontmatter removed) is split at ATX headings outside code
 *    fences, exactly where read_note's sections start (edit/sections.ts), so a
 *    chunk's heading path can be handed back to `read_note(section=…)`. Text
 *    before the first heading is the preamble.
 * 2. Small sections (fewer than STUB_WORDS words of their own) are merged into
 *    the next substantial section, heading line included; stubs at the end go
 *    to the last substantial section, or stay together when there is none.
 *    Sections with no text are dropped.
 * 3. A section of MIN_CHUNK_WORDS words or more (on a page that long) is split
 *    at paragraphs into pieces of about TARGET_WORDS words; a paragraph longer
 *    than MIN_CHUNK_WORDS is split at sentences, and a sentence that long at
 *    words. Every piece after the first of a section starts with the last
 *    OVERLAP_WORDS words of the piece before (never across sections).
 * 4. What is embedded is `[prefix] text`, the prefix being the page's title and
 *    the first MAX_PREFIX_DEPTH headings of the path.
 *
 * Differences from robot.wtf, all deliberate: merged stubs keep their heading
 * line (robot.wtf dropped it, losing the stub's title); a leading `# H1` that
 * repeats the page's name is not repeated in the prefix ("Plan > Plan > …");
 * trailing stubs with no substantial section to join stay together instead of
 * one chunk each; very long sentences (tables, code without full stops) are cut
 * at TARGET_WORDS words so no chunk outgrows small embedding models.
 *
 * Pure: no I/O, no worker types.
 */
import { parseSections } from '../edit/sections.ts';

export const TARGET_WORDS = 150;
export const OVERLAP_WORDS = 35;
export const MIN_CHUNK_WORDS = 300;
export const STUB_WORDS = 50;
export const MAX_PREFIX_DEPTH = 3;

export interface ChunkInput {
  /** The page key (`Projects/Weekly_Plan`). */
  key: string;
  /** The frontmatter's `title`, if any: it names the page in prefixes instead of its key. */
  title?: string | null;
  /** The page's Markdown without frontmatter. */
  body: string;
}

export interface Chunk {
  /** 0-based position in the page. */
  index: number;
  /** How many chunks the page has. */
  count: number;
  /** The heading path as read_note's `section` takes it (`Setup > Install`); '' for text before the first heading. */
  section: string;
  /** Page title and the first MAX_PREFIX_DEPTH headings, joined with " > ": what the embedded text starts with. */
  prefix: string;
  /** The chunk's own text (with the overlap from the chunk before, if any). */
  text: string;
}

interface Part {
  /** 0 for the preamble. */
  level: number;
  path: readonly string[];
  /** The heading line as written (`## Setup`); '' for the preamble. */
  heading: string;
  text: string;
}

const WHITESPACE = /\s+/;

export function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(WHITESPACE)) if (w) n++;
  return n;
}

function words(text: string): string[] {
  return text.split(WHITESPACE).filter(Boolean);
}

/** The text that is embedded for a chunk (and compared to decide whether a stored embedding can be kept). */
export function embeddingText(chunk: Pick<Chunk, 'prefix' | 'text'>): string {
  return `[${chunk.prefix}] ${chunk.text}`;
}

/** How the page is named at the head of each prefix: its frontmatter title, else its key with spaces. */
export function pageTitleOf(input: Pick<ChunkInput, 'key' | 'title'>): string {
  return input.title?.trim() || input.key.replace(/_/g, ' ');
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/_/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

function prefixOf(pageTitle: string, path: readonly string[]): string {
  const last = pageTitle.slice(pageTitle.lastIndexOf('/') + 1);
  const headings = path.length && (sameName(path[0]!, pageTitle) || sameName(path[0]!, last)) ? path.slice(1) : path;
  return [pageTitle, ...headings.slice(0, MAX_PREFIX_DEPTH)].join(' > ');
}

/** The preamble and each heading's own text (up to the next heading of any level). */
function splitParts(body: string): Part[] {
  // A body that starts with `---` (a rule) must not be read as a frontmatter block: the real one is gone already.
  const text = body.startsWith('---') ? `\n${body}` : body;
  const sections = parseSections(text);
  const parts: Part[] = [{ level: 0, path: [], heading: '', text: text.slice(0, sections[0]?.start ?? text.length).trim() }];
  for (const s of sections) {
    parts.push({ level: s.level, path: s.path, heading: text.slice(s.start, s.contentStart).trim(), text: text.slice(s.contentStart, s.bodyEnd).trim() });
  }
  return parts;
}

function withHeading(p: Part): string {
  return p.heading ? `${p.heading}\n\n${p.text}` : p.text;
}

/** Step 2: stubs merged into their neighbours, empty sections dropped. */
function mergeStubs(parts: Part[]): Part[] {
  const out: Part[] = [];
  let pending: Part[] = [];
  for (const p of parts) {
    if (!p.text) continue;
    if (p.level > 0 && countWords(p.text) < STUB_WORDS) {
      pending.push(p);
      continue;
    }
    out.push(pending.length ? { ...p, text: [...pending.map(withHeading), p.text].join('\n\n') } : p);
    pending = [];
  }
  if (pending.length) {
    const lastSubstantial = out.findLastIndex((p) => p.level > 0);
    if (lastSubstantial >= 0) {
      const target = out[lastSubstantial]!;
      out[lastSubstantial] = { ...target, text: [target.text, ...pending.map(withHeading)].join('\n\n') };
    } else {
      const [first, ...rest] = pending;
      out.push({ ...first!, text: [first!.text, ...rest.map(withHeading)].join('\n\n') });
    }
  }
  return out;
}

/** Cuts `items` (paragraphs or sentences) into groups of at most TARGET_WORDS words (a single longer item stays whole). */
function accumulate(items: string[], joiner: string, out: string[]): void {
  let acc: string[] = [];
  let n = 0;
  for (const item of items) {
    const w = countWords(item);
    if (acc.length && n + w > TARGET_WORDS) {
      out.push(acc.join(joiner));
      acc = [];
      n = 0;
    }
    acc.push(item);
    n += w;
  }
  if (acc.length) out.push(acc.join(joiner));
}

function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const sentence of paragraph.split(/(?<=[.!?])\s+(?=[A-Z])|\n/)) {
    const s = sentence.trim();
    if (!s) continue;
    const w = words(s);
    if (w.length <= MIN_CHUNK_WORDS) out.push(s);
    else for (let i = 0; i < w.length; i += TARGET_WORDS) out.push(w.slice(i, i + TARGET_WORDS).join(' '));
  }
  return out;
}

/** Step 3: one section's pieces, before overlap. */
function splitSection(text: string, pageWords: number): string[] {
  if (pageWords < MIN_CHUNK_WORDS || countWords(text) < MIN_CHUNK_WORDS) return [text];
  const out: string[] = [];
  let paragraphs: string[] = [];
  const flush = () => {
    accumulate(paragraphs, '\n\n', out);
    paragraphs = [];
  };
  for (const raw of text.split(/\n[ \t]*\n+/)) {
    const para = raw.trim();
    if (!para) continue;
    if (countWords(para) > MIN_CHUNK_WORDS) {
      flush();
      accumulate(splitSentences(para), ' ', out);
    } else {
      paragraphs.push(para);
    }
  }
  flush();
  return out;
}

function withOverlap(pieces: string[]): string[] {
  return pieces.map((piece, i) => (i === 0 ? piece : `${words(pieces[i - 1]!).slice(-OVERLAP_WORDS).join(' ')}\n\n${piece}`));
}

/**
 * The chunks of one page, in page order.
 *
 * @example chunkPage({ key: 'Notes', body: '# Notes\n\nHello.' }) // [{ index: 0, count: 1, section: 'Notes', prefix: 'Notes', text: 'Hello.' }]
 */
export function chunkPage(input: ChunkInput): Chunk[] {
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  if (!body) return [];
  const pageWords = countWords(body);
  const pageTitle = pageTitleOf(input);
  const out: Omit<Chunk, 'index' | 'count'>[] = [];
  for (const part of mergeStubs(splitParts(body))) {
    const section = part.path.join(' > ');
    const prefix = prefixOf(pageTitle, part.path);
    for (const text of withOverlap(splitSection(part.text, pageWords))) out.push({ section, prefix, text });
  }
  return out.map((c, index) => ({ index, count: out.length, ...c }));
}
