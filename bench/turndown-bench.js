// Turndown on the same files, same rounds: whole page → Markdown (its normal use).
const fs = require('fs');
const path = require('path');
const TurndownService = require('turndown');

const folder = process.argv[2];
const rounds = Number(process.argv[3] || 5);
const files = fs.readdirSync(folder).filter(f => f.endsWith('.html')).sort();
const pages = files.map(f => fs.readFileSync(path.join(folder, f), 'utf8'));
const bytes = files.reduce((n, f) => n + fs.statSync(path.join(folder, f)).size, 0);
const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });
service.remove(['script', 'style', 'noscript']);
for (let w = 0; w < 3; w++) for (const html of pages) service.turndown(html); // warm-up, as many rounds as the other side
const times = [];
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint();
  for (const html of pages) service.turndown(html);
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`turndown pages=${pages.length} bytes=${bytes} rounds=${rounds} median_s=${median.toFixed(4)} pages_per_s=${(pages.length / median).toFixed(1)} mb_per_s=${(bytes / 1e6 / median).toFixed(2)}`);
