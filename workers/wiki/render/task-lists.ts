/**
 * Task lists: a list item starting with `[ ]`, `[x]` or `[X]` and whitespace gets a disabled
 * checkbox (`<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox"
 * disabled checked>`). The checkbox is written as a marker only the sanitizer turns into an input.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { renderState } from './render-state.ts';
import { taskCheckboxMarker } from './sanitize.ts';

const TASK = /^\[([ xX])\]\s+/;

function addCheckboxes(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    const item = tokens[i - 2]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || item.type !== 'list_item_open') continue;
    const m = TASK.exec(inline.content);
    if (!m) continue;
    inline.content = inline.content.slice(m[0].length);
    item.attrJoin('class', 'task-list-item');
    const checkbox = new state.Token('task_checkbox', 'input', 0);
    checkbox.meta = { checked: m[1] !== ' ' };
    tokens.splice(i, 0, checkbox);
    i++;
  }
}

function renderCheckbox(tokens: Token[], idx: number, env: Parameters<typeof renderState>[0]): string {
  return `${taskCheckboxMarker(renderState(env).taskNonce, tokens[idx]!.meta?.['checked'] === true)} `;
}

/** Adds task-list checkboxes (a core rule between block and inline parsing). */
export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after('block', 'task_lists', addCheckboxes);
  md.renderer.rules['task_checkbox'] = (tokens, idx, _options, env): string => renderCheckbox(tokens, idx, env);
}
