/**
 * `semantic_search` results as text for models: whole passages, each with its
 * page, heading path (what read_note takes as `section`), place in the page,
 * revision and scores; or, when meaning-based search is off or not ready, the
 * notice and keyword results. Pure.
 */
import { clip, formatSearch, shortRevision } from './format.ts';

export interface SemanticHitLike {
  path: string;
  section: string;
  text: string;
  score: number;
  similarity: number | null;
  revision: string;
  chunkIndex: number;
  chunkCount: number;
  matched: readonly string[];
}

export type SemanticAnswerLike =
  | { mode: 'meaning'; query: string; notice: string | null; results: SemanticHitLike[] }
  | { mode: 'keyword'; query: string; notice: string; total: number; results: { path: string; title: string; snippet: string; score: number }[] };

function indent(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim().split('\n').map((l) => (l ? `   ${l}` : '')).join('\n');
}

export function formatSemantic(a: SemanticAnswerLike): string {
  if (a.mode === 'keyword') return `${a.notice}\n\n${formatSearch(a.query, a.total, a.results.map((r) => ({ ...r, name: r.title })), 0)}`;
  const head = `${a.results.length} results for "${a.query}" (by meaning, and by words where they match):`;
  const notice = a.notice ? `${a.notice}\n\n` : '';
  if (!a.results.length) return `${notice}${head}\n\nNothing close enough in meaning. Try other words, search_notes for exact words, or list_notes to browse.`;
  const body = a.results
    .map((h, i) => {
      const where = h.section ? ` — ${h.section}` : '';
      const scores = [`score ${h.score.toFixed(2)}`, ...(h.similarity !== null ? [`similarity ${h.similarity.toFixed(2)}`] : []), `passage ${h.chunkIndex + 1}/${h.chunkCount}`, `revision ${shortRevision(h.revision)}`].join(', ');
      return `${i + 1}. ${h.path}${where} (${scores})\n${indent(h.text)}`;
    })
    .join('\n\n');
  return clip(`${notice}${head}\n\n${body}\n\nRead a whole section with read_note(path, section="<the heading path after —>").`, 'Ask for fewer results (n) or fewer passages per page (max_chunks_per_page).');
}
