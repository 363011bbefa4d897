// The board under load, in headless Chromium against the real host (Release build, fresh data dir):
//  1. a board of N cards (default 1,000, all in To Do): time from navigation until the board is
//     drawn (a column draws its first 100 cards and offers the rest), and until the main thread is
//     free (the end of the last long task); then how long a search takes to draw;
//  2. M live events (default 100 card.updated: a drawn card renamed): from the WebSocket message to
//     the new title in the DOM, and from the request that caused it to the new title in the DOM;
//  3. the gzipped size of the board's JavaScript (web/dist, as built by scripts/build-board).
// Run from the repository root after scripts/build-board and a Release build of the host:
//   node bench/board-load.mjs [--cards 1000] [--events 100]
// The report goes to stdout and to bench/out/board-load/report.md.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const { startHost } = await import(join(web, 'scripts', 'host.mjs'));
const { chromium } = createRequire(join(web, 'package.json'))('playwright-core');

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const cards = option('cards', 1000);
const events = option('events', 100);
const out = join(root, 'bench', 'out', 'board-load');
mkdirSync(out, { recursive: true });

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(0)} ms`;

const load = loadavg()[0];
const host = await startHost({ boardPath: join(web, 'dist') });
const lines = [];
try {
  const post = (path, body) =>
    fetch(`${host.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: JSON.stringify(body),
    }).then(async (response) => {
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    });
  const repo = await post('/api/repos', { name: 'board-load', default_branch: 'main' });
  const seedStarted = Date.now();
  for (let next = 0; next < cards; ) {
    const batch = Array.from({ length: Math.min(8, cards - next) }, (_, i) => next + i);
    next += batch.length;
    await Promise.all(batch.map((i) => post(`/api/repos/${repo.id}/cards`, { title: `Card ${i}: tidy module ${i % 37}`, step_type: 'script', step_config: { command: 'make test' } })));
  }
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  // Before the board's own code: when the last card appears, long tasks, and when each WebSocket message arrives.
  await page.addInitScript((expected) => {
    const probe = { drawnAt: null, longTasks: [], received: new Map(), appeared: new Map() };
    window.__probe = probe;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    new MutationObserver(() => {
      if (probe.drawnAt === null && document.querySelectorAll('article[data-card-id]').length >= Math.min(expected, 100)) probe.drawnAt = performance.now();
      const waiting = [...probe.received.keys()].filter((title) => !probe.appeared.has(title));
      if (waiting.length === 0) return;
      const drawn = new Set([...document.querySelectorAll('article[data-card-id] a.title')].map((link) => link.textContent));
      for (const title of waiting) if (drawn.has(title)) probe.appeared.set(title, performance.now());
    }).observe(document, { childList: true, characterData: true, subtree: true });
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (message) => {
          const parsed = JSON.parse(message.data);
          if (parsed.type === 'card.updated') probe.received.set(parsed.payload.card.title, performance.now());
        });
      }
    };
  }, cards);

  // Signed in first with a login link, as the owner is; only the board's own navigation is timed.
  const login = await post('/api/login-codes', {});
  await page.goto(login.url);
  await page.goto(`${host.url}/repos/${repo.id}`);
  await page.waitForFunction(() => window.__probe.drawnAt !== null, null, { timeout: 60_000 });
  await page.waitForTimeout(500);
  const first = await page.evaluate(() => ({
    drawnAt: window.__probe.drawnAt,
    longTasks: window.__probe.longTasks,
    domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
  const quietAt = Math.max(first.drawnAt, ...first.longTasks.map((task) => task.end));
  const longest = Math.max(0, ...first.longTasks.map((task) => task.end - task.start));

  const search = await page.evaluate(async () => {
    const input = document.querySelector('input[type="search"]');
    const started = performance.now();
    input.value = 'module 5';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const shown = document.querySelectorAll('article[data-card-id]').length;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return { took: performance.now() - started, shown };
  });

  const drawnIds = await page.evaluate(() => [...document.querySelectorAll('article[data-card-id]')].map((card) => card.getAttribute('data-card-id')));
  const toDom = [];
  const requestToDom = [];
  for (let i = 0; i < events; i++) {
    const title = `Renamed ${i}`;
    const sent = await page.evaluate(
      ([cardId, cardTitle]) => {
        const at = performance.now();
        void fetch(`/api/cards/${cardId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: cardTitle }) });
        return at;
      },
      [drawnIds[i % drawnIds.length], title],
    );
    await page.waitForFunction((cardTitle) => window.__probe.appeared.has(cardTitle), title, { timeout: 10_000 });
    const [received, appeared] = await page.evaluate((cardTitle) => [window.__probe.received.get(cardTitle), window.__probe.appeared.get(cardTitle)], title);
    toDom.push(appeared - received);
    requestToDom.push(appeared - sent);
  }
  await browser.close();

  const dist = join(web, 'dist');
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = readdirSync(join(dist, 'assets'));
  const gz = (files) => files.reduce((total, file) => total + gzipSync(readFileSync(join(dist, 'assets', file)), { level: 9 }).length, 0) / 1024;
  const firstJs = gz(assets.filter((file) => file.endsWith('.js') && index.includes(`/assets/${file}`)));
  const allJs = gz(assets.filter((file) => file.endsWith('.js')));

  lines.push(
    `# Board load (${new Date().toISOString()}, load average ${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after)`,
    '',
    '| what | figure | goal |',
    '|---|---|---|',
    `| board of ${cards} cards drawn (first 100 of the column), from navigation | ${ms(first.drawnAt)} (DOMContentLoaded ${ms(first.domContentLoaded)}) | |`,
    `| ${cards} cards interactive (main thread free: end of the last long task) | ${ms(quietAt)}; longest task ${ms(longest)} | < 1500 ms |`,
    `| search over ${cards} cards drawn | ${ms(search.took)} (${search.shown} shown) | |`,
    `| live event: WebSocket message → renamed card in the DOM, ${events} events | p50 ${ms(percentile(toDom, 50))}, p99 ${ms(percentile(toDom, 99))}, max ${ms(Math.max(...toDom))} | p99 < 100 ms |`,
    `| live event: PATCH → renamed card in the DOM (host included) | p50 ${ms(percentile(requestToDom, 50))}, p99 ${ms(percentile(requestToDom, 99))} | |`,
    `| JavaScript, gzipped | first page ${firstJs.toFixed(1)} KB, all ${allJs.toFixed(1)} KB | < 250 KB |`,
    `| seeding ${cards} cards (8 POSTs in flight) | ${seedSeconds.toFixed(1)} s | |`,
  );
} finally {
  await host.stop();
}
const report = lines.join('\n') + '\n';
process.stdout.write(report);
writeFileSync(join(out, 'report.md'), report);
