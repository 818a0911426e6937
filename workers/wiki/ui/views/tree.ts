/** The page tree as nested lists: the sidebar's top level and the whole index. */
import { displayTitle } from '../../pages/page-files.ts';
import { html, nothing, type Html } from '../template.ts';
import { pageUrl } from '../urls.ts';

/** A name at the top of the page tree (the shape of the index's `TopLevelEntry`). */
export interface SidebarEntry {
  name: string;
  isPage: boolean;
  isFolder: boolean;
}

/** The sidebar: top-level pages and folders, the current one marked. */
export function sidebarTree(entries: readonly SidebarEntry[], currentKey: string | null): Html {
  if (entries.length === 0) return html`<p class="muted">No pages yet.</p>`;
  const items = entries.map((e) => {
    const current = currentKey !== null && (currentKey === e.name || currentKey.startsWith(`${e.name}/`));
    const cls = [e.isFolder ? 'folder' : 'leaf', current ? 'current' : ''].filter(Boolean).join(' ');
    return html`<li class="${cls}"><a href="${pageUrl(e.name)}"${current && currentKey === e.name ? html` aria-current="page"` : nothing}>${displayTitle(e.name)}</a></li>`;
  });
  return html`<ul class="tree">${items}</ul>`;
}

/** A page of the index: its key and title. */
export interface IndexedPage {
  path: string;
  name: string;
}

interface Node {
  segment: string;
  key: string;
  page: IndexedPage | null;
  children: Map<string, Node>;
}

function buildTree(pages: readonly IndexedPage[]): Node {
  const root: Node = { segment: '', key: '', page: null, children: new Map() };
  for (const page of pages) {
    let node = root;
    for (const segment of page.path.split('/')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { segment, key: node.key ? `${node.key}/${segment}` : segment, page: null, children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.page = page;
  }
  return root;
}

function renderNodes(nodes: Iterable<Node>): Html {
  const items = [...nodes].map((n) => {
    const label = n.page
      ? html`<a href="${pageUrl(n.key)}">${displayTitle(n.key)}</a>${n.page.name !== displayTitle(n.key) ? html` <span class="muted">${n.page.name}</span>` : nothing}`
      : html`<span class="folder-name">${displayTitle(n.key)}/</span>`;
    const children = n.children.size > 0 ? renderNodes(n.children.values()) : nothing;
    return html`<li class="${n.children.size > 0 ? 'folder' : 'leaf'}">${label}${children}</li>`;
  });
  return html`<ul class="tree">${items}</ul>`;
}

/** Every listed page as a tree of folders, in key order. */
export function indexTree(pages: readonly IndexedPage[]): Html {
  if (pages.length === 0) return html`<p class="muted">This wiki has no pages.</p>`;
  return renderNodes(buildTree(pages).children.values());
}
