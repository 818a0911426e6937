/// <reference path="./vendor-modules.d.ts" />
/**
 * The configured markdown-it instance: CommonMark + GFM tables and strikethrough, raw HTML
 * (sanitized later), autolinked http(s) URLs, footnotes, ==mark==, abbreviations, and the
 * wiki's own rules (wikilinks, `:::` fancy blocks, GitHub alerts, `>!` spoilers and `>|` folds,
 * math, code, task lists). Built once, on first use.
 */
import markdownIt from 'markdown-it';
import type { MarkdownIt } from 'markdown-it';
import abbr from 'markdown-it-abbr';
import footnote from 'markdown-it-footnote';
import mark from 'markdown-it-mark';
import { codeBlocks } from './code-blocks.ts';
import { fancyBlocks } from './fancy-blocks.ts';
import { githubAlertBlocks } from './github-alerts.ts';
import { headingAnchors } from './headings.ts';
import { linkSafety } from './link-safety.ts';
import { math } from './math.ts';
import { pageLinks } from './page-links.ts';
import { relativeLinks } from './relative-links.ts';
import { spoilersAndFolds } from './spoilers-folds.ts';
import { tables } from './tables.ts';
import { taskLists } from './task-lists.ts';
import { wikilinks } from './wikilinks.ts';

function createMarkdown(): MarkdownIt {
  const md = markdownIt('default', { html: true, linkify: true, typographer: false, breaks: false });
  // Autolink only explicit http(s) URLs and mailto:, as Otterwiki does (no bare domains).
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  md.linkify.add('ftp:', null).add('//', null);
  return md
    .use(footnote)
    .use(mark)
    .use(abbr)
    .use(wikilinks)
    .use(fancyBlocks)
    .use(githubAlertBlocks)
    .use(spoilersAndFolds)
    .use(math)
    .use(codeBlocks)
    .use(taskLists)
    .use(tables)
    .use(relativeLinks)
    .use(linkSafety)
    .use(pageLinks)
    .use(headingAnchors);
}

let instance: MarkdownIt | null = null;

/** The shared parser (it keeps no per-render state; that lives in the env). */
export function wikiMarkdown(): MarkdownIt {
  instance ??= createMarkdown();
  return instance;
}
