// A small Markdown renderer that builds DOM nodes: every piece of text becomes a text node, links
// keep only http(s) targets, images are shown as links (nothing is loaded from elsewhere).
import { externalLink, h } from './dom.js';

const INLINE = new RegExp([
  /(`+)([\s\S]*?[^`])\1(?!`)/.source, // 1,2 code span
  /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.source, // 3,4 image
  /\[((?:[^\[\]]|\[[^\]]*\])+)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.source, // 5,6 link
  /<(https?:\/\/[^>\s]+)>/.source, // 7 autolink
  /\*\*(?=\S)([\s\S]*?\S)\*\*/.source, // 8 strong
  /__(?=\S)([\s\S]*?\S)__/.source, // 9 strong
  /\*(?=\S)([\s\S]*?\S)\*/.source, // 10 em
  /(?<![\w])_(?=\S)([\s\S]*?\S)_(?![\w])/.source, // 11 em
  /\\([\\`*_{}\[\]()#+\-.!|<>~])/.source, // 12 escape
].join('|'), 'g');

export function inline(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) nodes.push(text.slice(last, m.index));
    if (m[2] !== undefined) nodes.push(h('code', {}, m[2]));
    else if (m[4] !== undefined) nodes.push(externalLink(m[4], `image: ${m[3] || m[4]}`));
    else if (m[6] !== undefined) nodes.push(externalLink(m[6], inline(m[5])));
    else if (m[7] !== undefined) nodes.push(externalLink(m[7], m[7]));
    else if (m[8] !== undefined || m[9] !== undefined) nodes.push(h('strong', {}, inline(m[8] ?? m[9])));
    else if (m[10] !== undefined || m[11] !== undefined) nodes.push(h('em', {}, inline(m[10] ?? m[11])));
    else if (m[12] !== undefined) nodes.push(m[12]);
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

const isBlank = (line) => line.trim() === '';
const fence = /^\s{0,3}(```+|~~~+)/;
const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const rule = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const bullet = /^\s*[-*+]\s+(.*)$/;
const ordered = /^\s*\d+[.)]\s+(.*)$/;
const quote = /^\s{0,3}>\s?(.*)$/;
const tableRow = /^\s*\|.*\|\s*$/;
const tableSeparator = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

const cells = (line) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());

/** Renders Markdown text into a DocumentFragment. YAML frontmatter is shown as a collapsible block. */
export function render(markdown) {
  const out = document.createDocumentFragment();
  let lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) {
      out.append(h('details', { class: 'frontmatter' }, h('summary', {}, 'Frontmatter'), h('pre', {}, lines.slice(1, end).join('\n'))));
      lines = lines.slice(end + 1);
    }
  }
  out.append(...blocks(lines));
  return out;
}

function blocks(lines) {
  const result = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const f = fence.exec(line);
    if (f) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(f[1])) body.push(lines[i++]);
      i++;
      result.push(h('pre', {}, h('code', {}, body.join('\n'))));
      continue;
    }
    const hd = heading.exec(line);
    if (hd) {
      result.push(h(`h${hd[1].length}`, {}, inline(hd[2])));
      i++;
      continue;
    }
    if (rule.test(line)) {
      result.push(h('hr'));
      i++;
      continue;
    }
    if (quote.test(line)) {
      const body = [];
      while (i < lines.length && !isBlank(lines[i]) && quote.test(lines[i])) body.push(quote.exec(lines[i++])[1]);
      result.push(h('blockquote', {}, blocks(body)));
      continue;
    }
    if (bullet.test(line) || ordered.test(line)) {
      const isOrdered = !bullet.test(line);
      const pattern = isOrdered ? ordered : bullet;
      const items = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const m = pattern.exec(lines[i]);
        if (m) items.push(m[1]);
        else if (items.length) items[items.length - 1] += ` ${lines[i].trim()}`;
        i++;
      }
      result.push(h(isOrdered ? 'ol' : 'ul', {}, items.map((item) => h('li', {}, inline(item)))));
      continue;
    }
    if (tableRow.test(line) && i + 1 < lines.length && tableSeparator.test(lines[i + 1])) {
      const head = cells(line);
      i += 2;
      const rows = [];
      while (i < lines.length && tableRow.test(lines[i])) rows.push(cells(lines[i++]));
      result.push(h('table', {},
        h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, inline(c))))),
        h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, inline(c))))))));
      continue;
    }
    const body = [];
    while (i < lines.length && !isBlank(lines[i]) && !heading.test(lines[i]) && !fence.test(lines[i]) && !quote.test(lines[i])) body.push(lines[i++]);
    const parts = [];
    body.forEach((text, index) => {
      // Two trailing spaces or a backslash end a line with a hard break.
      const hard = /( {2,}|\\)$/.test(text);
      parts.push(...inline(hard ? text.replace(/( {2,}|\\)$/, '') : text));
      if (index < body.length - 1) parts.push(hard ? h('br') : ' ');
    });
    result.push(h('p', {}, parts));
  }
  return result;
}
