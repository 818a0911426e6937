/** What one render collects while markdown-it runs, kept in its `env` under a private key. */
import type { Env } from 'markdown-it';
import { createHeadingIds } from './slugify.ts';
import type { RenderNeeds, RenderOptions, TocEntry } from './types.ts';

/** Per-render state shared by the renderer's rules. */
export interface RenderState {
  options: RenderOptions;
  /** The character standing in for wikilink pipes in this render's source. */
  pipeMarker: string;
  /** Secret that marks the task checkboxes this render wrote (see sanitize.ts). */
  taskNonce: string;
  /** Linked page names so far, each once. */
  links: string[];
  /** Headings so far. */
  toc: TocEntry[];
  /** Plain text of the first H1, once seen. */
  firstH1: string | null;
  needs: RenderNeeds;
  /** The next heading id for a heading text. */
  headingId(text: string): string;
}

const STATE = Symbol('wiki-render-state');

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh state and the markdown-it env that carries it. */
export function createRenderEnv(options: RenderOptions, pipeMarker: string): { env: Env; state: RenderState } {
  const state: RenderState = {
    options,
    pipeMarker,
    taskNonce: randomNonce(),
    links: [],
    toc: [],
    firstH1: null,
    needs: { math: false, mermaid: false },
    headingId: createHeadingIds(),
  };
  return { env: { [STATE]: state }, state };
}

/** The state of the render this env belongs to. */
export function renderState(env: Env | undefined): RenderState {
  const state = env?.[STATE];
  if (!state) throw new Error('markdown-it was called without the wiki render env');
  return state as RenderState;
}

/** Records a linked page name once. */
export function addLink(state: RenderState, name: string): void {
  if (!state.links.includes(name)) state.links.push(name);
}
