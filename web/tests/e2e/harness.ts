import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { webDir } from '../../scripts/host.mjs';

export const hostUrl = inject('hostUrl');
/** The owner's token, for the test's own API calls and the CLI; the browser signs in with a login link instead. */
export const hostToken = inject('hostToken');

/** The host's API as the owner calls it. */
export function ownerFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${hostToken}`);
  return fetch(`${hostUrl}${path}`, { ...init, headers });
}

/** A host the browser talks to: the suite's own, or one a test starts with other settings. */
export interface HostAddress {
  url: string;
  token: string;
}

/** A one-time board login link, as `lazyaf login` prints it. */
export async function loginLink(host: HostAddress = { url: hostUrl, token: hostToken }): Promise<string> {
  const response = await fetch(`${host.url}/api/login-codes`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` } });
  if (response.status !== 200) throw new Error(`POST /api/login-codes answered ${response.status}`);
  return ((await response.json()) as { url: string }).url;
}
const screenshots = join(webDir, 'test-results', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, headless (Playwright cannot download browsers here). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export type Theme = 'light' | 'dark';

interface Expected {
  status: number;
  path: string;
}

/**
 * A browser page on the board that remembers everything that went wrong: console errors, page
 * errors, failed requests and error answers. A test names the error answers it causes on purpose
 * (`expectAnswer`); `assertClean` fails on anything else.
 */
export class WatchedPage {
  readonly problems: string[] = [];
  readonly #expected: Expected[] = [];
  readonly context: BrowserContext;
  readonly page: Page;

  private constructor(context: BrowserContext, page: Page) {
    this.context = context;
    this.page = page;
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const status = /status of (\d+)/.exec(message.text())?.[1];
      const url = message.location().url;
      if (status && this.#isExpected(Number(status), url)) return;
      this.problems.push(`console error: ${message.text()} (${url})`);
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? '';
      // The board aborts its own streams when it leaves a page; that is no failure.
      if (failure === 'net::ERR_ABORTED') return;
      this.problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
    });
    page.on('response', (response) => {
      if (response.status() < 400 || this.#isExpected(response.status(), response.url())) return;
      this.problems.push(`error answer: ${response.status()} ${response.request().method()} ${response.url()}`);
    });
  }

  /** Opens the page in a new browser context, signed in through a login link unless `signedIn` is false. */
  static async open(
    browser: Browser,
    path: string,
    options: { theme?: Theme; viewport?: { width: number; height: number }; signedIn?: boolean; expected?: Expected[]; host?: HostAddress } = {},
  ) {
    const context = await browser.newContext({
      baseURL: options.host?.url ?? hostUrl,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.theme ?? 'light',
    });
    const watched = new WatchedPage(context, await context.newPage());
    for (const answer of options.expected ?? []) watched.expectAnswer(answer.status, answer.path);
    if (options.signedIn !== false) await watched.page.goto(await loginLink(options.host));
    await watched.page.goto(path);
    return watched;
  }

  /** The test causes this error answer on purpose (e.g. a refused move's 409). */
  expectAnswer(status: number, path: string) {
    this.#expected.push({ status, path });
  }

  assertClean() {
    expect(this.problems, 'the page had errors').toEqual([]);
  }

  /** axe-core on the page as it is now: no serious or critical violation. */
  async assertAccessible(label: string) {
    await this.page.evaluate(axeSource);
    const violations = await this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    });
    expect(violations, `accessibility of ${label}`).toEqual([]);
  }

  async screenshot(name: string) {
    mkdirSync(screenshots, { recursive: true });
    await this.page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  /** Screenshots and checks the page in both themes, leaving it in the theme it had. */
  async inBothThemes(name: string) {
    for (const theme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme: theme });
      await this.assertAccessible(`${name} (${theme})`);
      await this.screenshot(`${name}-${theme}`);
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
  }

  async close() {
    await this.context.close();
  }

  #isExpected(status: number, url: string): boolean {
    const path = new URL(url, hostUrl).pathname;
    return this.#expected.some((expected) => expected.status === status && path.startsWith(expected.path));
  }
}

/** The real CLI, as the owner runs it on the host's machine. */
export function cli(args: string[], cwd = tmpdir(), host: HostAddress = { url: hostUrl, token: hostToken }): string {
  return execFileSync('dotnet', [inject('cliDll'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, LAZYAF_SERVER: host.url, LAZYAF_TOKEN: host.token } });
}

/** A real git repository with one commit, ingested with the real CLI through LazyAF's git server. */
export async function ingestRepo(name: string, host: HostAddress = { url: hostUrl, token: hostToken }): Promise<{ id: string; dir: string }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'lazyaf-e2e-')), name);
  mkdirSync(dir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), `# ${name}\n`);
  git('add', '.');
  git('-c', 'user.name=E2E', '-c', 'user.email=e2e@localhost', 'commit', '-qm', 'first commit');
  cli(['ingest', '.'], dir, host);
  const repos = (await (await fetch(`${host.url}/api/repos`, { headers: { authorization: `Bearer ${host.token}` } })).json()) as { id: string; name: string }[];
  const repo = repos.find((candidate) => candidate.name === name);
  if (!repo) throw new Error(`repo ${name} was not ingested`);
  return { id: repo.id, dir };
}

/** A file a script step waits for, so the test decides when the step may finish. */
export function gate(): { path: string; open: () => void } {
  const path = join(mkdtempSync(join(tmpdir(), 'lazyaf-gate-')), 'go');
  return { path, open: () => writeFileSync(path, 'go') };
}

/**
 * One browser for a describe block and every page it opens: launched before the first test, each page
 * checked for problems after every test, all closed after the last. Call it inside `describe`.
 */
export function watchedBrowser(): { open: (path: string, options?: Parameters<typeof WatchedPage.open>[2]) => Promise<WatchedPage> } {
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    browser = await launch();
  });

  afterEach(() => {
    for (const watched of pages) watched.assertClean();
  });

  afterAll(async () => {
    for (const watched of pages) await watched.close();
    await browser?.close();
  });

  return {
    async open(path, options) {
      if (!browser) throw new Error('watchedBrowser().open ran before the browser launched');
      const watched = await WatchedPage.open(browser, path, options);
      pages.push(watched);
      return watched;
    },
  };
}
