// Prints the gzipped size of the built board (web/dist): the JavaScript loaded on the first page,
// all of it, and the CSS. Fails when the first page's JavaScript passes the budget.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { webDir } from './host.mjs';

const budgetKb = 250;
const dist = join(webDir, 'dist');
const assets = join(dist, 'assets');
/** @param {string} file */
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const files = readdirSync(assets);
const index = readFileSync(join(dist, 'index.html'), 'utf8');
// What index.html loads itself: its entry script and the chunks it preloads.
const initial = files.filter((file) => file.endsWith('.js') && index.includes(`/assets/${file}`));
/** @param {string[]} list */
const sum = (list) => list.reduce((total, file) => total + gz(join(assets, file)), 0);
const initialJs = sum(initial);
const allJs = sum(files.filter((file) => file.endsWith('.js')));
const css = sum(files.filter((file) => file.endsWith('.css')));

console.log(`board bundle (gzip): first page JS ${kb(initialJs)}, all JS ${kb(allJs)} (diff viewer and terminal loaded on demand), CSS ${kb(css)}; budget ${budgetKb} KB`);
if (initialJs > budgetKb * 1024) {
  console.error(`bundle-size: the first page's JavaScript is ${kb(initialJs)} gzipped, over the ${budgetKb} KB budget`);
  process.exit(1);
}
