import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { child, childrenNamed, parseXml, textOf } from '../../../test/helpers/xml.ts';
import { atomFeed, rssFeed, type FeedSource } from './changes-feed.ts';
import { escapeXml } from './xml.ts';

const SOURCE: FeedSource = {
  origin: 'https://notes.wiki.example',
  title: 'Notes & <Friends>',
  description: '',
  entries: [
    {
      revision: 'b'.repeat(40),
      author: 'Eve "<script>" \u001b[31m',
      date: '2026-03-08T10:20:30.000Z',
      message: 'Fix ]]> & <b>bold</b>\u0000 claims\n\nSecond line \ud800 😀',
      pages: ['Notes/Trip', 'Q&A'],
    },
    { revision: 'a'.repeat(40), author: 'Alice', date: '2026-03-07T09:00:00.000Z', message: '', pages: [] },
  ],
};

describe('escapeXml', () => {
  it('escapes the five special characters and replaces what XML cannot hold', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
    assert.equal(escapeXml('x\u0000y\u001bz\ud800w\uffff\t\n\r😀'), 'x\ufffdy\ufffdz\ufffdw\ufffd\t\n\r😀');
  });
});

describe('rssFeed', () => {
  it('is well-formed RSS 2.0 with one item per commit, newest first, every text escaped', () => {
    const xml = rssFeed(SOURCE);
    const rss = parseXml(xml);
    assert.equal(rss.name, 'rss');
    assert.equal(rss.attrs['version'], '2.0');
    const channel = child(rss, 'channel');
    assert.equal(textOf(child(channel, 'title')), 'Notes & <Friends> — recent changes');
    assert.equal(textOf(child(channel, 'link')), 'https://notes.wiki.example/-/changes');
    assert.equal(textOf(child(channel, 'description')), 'Recent changes to Notes & <Friends>');
    assert.deepEqual(child(channel, 'atom:link').attrs, { href: 'https://notes.wiki.example/-/changelog/feed.rss', rel: 'self', type: 'application/rss+xml' });
    assert.equal(textOf(child(channel, 'lastBuildDate')), 'Sun, 08 Mar 2026 10:20:30 GMT');

    const [first, second] = childrenNamed(channel, 'item');
    assert.equal(childrenNamed(channel, 'item').length, 2);
    assert.equal(textOf(child(first!, 'title')), 'Notes/Trip, Q&A: Fix ]]> & <b>bold</b>\ufffd claims');
    assert.equal(textOf(child(first!, 'link')), `https://notes.wiki.example/Notes/Trip/diff?to=${'b'.repeat(40)}`);
    assert.equal(textOf(child(first!, 'guid')), `https://notes.wiki.example/-/changes#${'b'.repeat(40)}`);
    assert.equal(child(first!, 'guid').attrs['isPermaLink'], 'false');
    assert.equal(textOf(child(first!, 'pubDate')), 'Sun, 08 Mar 2026 10:20:30 GMT');
    assert.equal(textOf(child(first!, 'dc:creator')), 'Eve "<script>" \ufffd[31m');
    const html = textOf(child(first!, 'description'));
    assert.match(html, /^<p>Fix \]\]&gt; &amp; &lt;b&gt;bold&lt;\/b&gt;\ufffd claims<br><br>Second line \ufffd 😀<\/p>/);
    assert.match(html, /<li><a href="https:\/\/notes.wiki.example\/Q%26A">Q&amp;A<\/a> <small>\(Q&amp;A\)<\/small> — <a href="https:\/\/notes.wiki.example\/Q%26A\/diff\?to=b{40}">changes<\/a><\/li>/);
    assert.doesNotMatch(xml, /<script>|<b>/, 'no markup of the message reaches the XML unescaped');

    assert.equal(textOf(child(second!, 'title')), '(no message)');
    assert.equal(textOf(child(second!, 'link')), 'https://notes.wiki.example/-/changes');
  });

  it('is well-formed without any commit', () => {
    const channel = child(parseXml(rssFeed({ ...SOURCE, entries: [], description: 'About.' })), 'channel');
    assert.equal(childrenNamed(channel, 'item').length, 0);
    assert.equal(textOf(child(channel, 'description')), 'About.');
  });
});

describe('atomFeed', () => {
  it('is well-formed Atom with ids, dates, authors and HTML content', () => {
    const feed = parseXml(atomFeed(SOURCE));
    assert.equal(feed.name, 'feed');
    assert.equal(feed.attrs['xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(textOf(child(feed, 'id')), 'https://notes.wiki.example/-/changelog/feed.atom');
    assert.equal(textOf(child(feed, 'updated')), '2026-03-08T10:20:30.000Z');
    assert.deepEqual(
      childrenNamed(feed, 'link').map((l) => [l.attrs['rel'], l.attrs['href']]),
      [['self', 'https://notes.wiki.example/-/changelog/feed.atom'], ['alternate', 'https://notes.wiki.example/-/changes']],
    );
    const entries = childrenNamed(feed, 'entry');
    assert.equal(entries.length, 2);
    const first = entries[0]!;
    assert.equal(textOf(child(first, 'id')), `https://notes.wiki.example/-/changes#${'b'.repeat(40)}`);
    assert.equal(textOf(child(first, 'published')), '2026-03-08T10:20:30.000Z');
    assert.equal(textOf(child(child(first, 'author'), 'name')), 'Eve "<script>" \ufffd[31m');
    assert.equal(child(first, 'link').attrs['href'], `https://notes.wiki.example/Notes/Trip/diff?to=${'b'.repeat(40)}`);
    const content = child(first, 'content');
    assert.equal(content.attrs['type'], 'html');
    assert.match(textOf(content), /^<p>Fix \]\]&gt; &amp; &lt;b&gt;bold&lt;\/b&gt;/);
  });
});

describe('the test XML reader', () => {
  it('refuses what is not well-formed', () => {
    for (const bad of ['<a>', '<a></b>', '<a>&</a>', '<a>&nbsp;</a>', '<a x=1/>', '<a x="1" x="2"/>', '<a>\u0001</a>', '<a/><b/>', '<x:a/>', '<a b="<"/>', '<a>]]></a>', 'text<a/>', '<!DOCTYPE a><a/>']) {
      assert.throws(() => parseXml(bad), /not well-formed/, bad);
    }
    assert.deepEqual(parseXml('<?xml version="1.0"?>\n<a x="&amp;"><![CDATA[<y>]]>&#x1F600;<b/></a>\n'), { name: 'a', attrs: { x: '&' }, children: ['<y>', '😀', { name: 'b', attrs: {}, children: [] }] });
  });
});
