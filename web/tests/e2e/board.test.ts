import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, gate, hostUrl, ingestRepo, launch, ownerFetch, WatchedPage } from './harness';

// One story on one host, in order: an empty LazyAF, a repo ingested with the CLI, a card written on
// the board, run, reviewed and merged while a second browser watches, a refused move, a phone.
describe.sequential('the board against the real host', () => {
  let browser: Browser;
  let repo: { id: string; dir: string };
  const pages: WatchedPage[] = [];
  const step = gate();
  const title = 'Write the release notes';

  async function open(path: string, options?: Parameters<typeof WatchedPage.open>[2]) {
    const watched = await WatchedPage.open(browser, path, options);
    pages.push(watched);
    return watched;
  }

  function cardIn(page: Page, status: string, cardTitle: string) {
    return page.locator(`[data-column="${status}"]`).getByRole('article', { name: cardTitle });
  }

  beforeAll(async () => {
    browser = await launch();
  });

  afterEach(async () => {
    // Every page of every test: no console error, no failed request, no error answer it did not cause on purpose.
    for (const watched of pages) watched.assertClean();
  });

  afterAll(async () => {
    for (const watched of pages) await watched.close();
    await browser?.close();
  });

  it('asks a browser without a session to sign in, and a link from `lazyaf login` signs it in', async () => {
    const stranger = await open('/', { signedIn: false, expected: [{ status: 401, path: '/api/' }] });
    await stranger.page.getByRole('heading', { name: 'Sign in to LazyAF' }).waitFor();
    expect(await stranger.page.getByLabel('Make a login link', { exact: true }).textContent()).toContain(`LAZYAF_SERVER=${hostUrl} lazyaf login`);
    await stranger.inBothThemes('sign-in');

    const link = cli(['login']).split('\n')[0]!.trim();
    expect(link).toMatch(new RegExp(`^${hostUrl}/login\\?code=`));
    await stranger.page.goto(link);
    await stranger.page.getByRole('heading', { name: 'Bring in a repository' }).waitFor();
  });

  it('teaches `lazyaf ingest` while there is no repository', async () => {
    const home = await open('/');
    await home.page.getByRole('heading', { name: 'Bring in a repository' }).waitFor();
    expect(await home.page.getByLabel('Ingest a repository', { exact: true }).textContent()).toContain(`LAZYAF_SERVER=${hostUrl} lazyaf ingest .`);
    await home.inBothThemes('home-empty');
  });

  it('opens the board of a repository ingested with the CLI', async () => {
    repo = await ingestRepo('release-tools');
    const home = await open('/');
    await home.page.waitForURL(`**/repos/${repo.id}`);
    for (const column of ['To Do', 'In Progress', 'In Review', 'Done', 'Failed'])
      await home.page.getByRole('heading', { name: column, level: 2 }).waitFor();
    expect(await home.page.getByRole('combobox', { name: 'Repository' }).inputValue()).toBe(repo.id);
  });

  it('creates a script card from the keyboard, saying what is missing as a sentence first', async () => {
    const board = await open(`/repos/${repo.id}`);
    const watcher = await open(`/repos/${repo.id}`);
    await board.page.getByRole('heading', { name: 'To Do' }).waitFor();
    await watcher.page.getByRole('heading', { name: 'To Do' }).waitFor();

    await board.page.keyboard.press('n');
    const dialog = board.page.getByRole('dialog', { name: 'New card' });
    await dialog.waitFor();
    await dialog.getByLabel('Title', { exact: true }).fill(title);
    board.expectAnswer(400, `/api/repos/${repo.id}/cards`);
    await dialog.getByRole('button', { name: 'Create card' }).click();
    await dialog.getByText('step_config.command is required for a script step.').first().waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe('step_config.command is required for a script step.');
    await board.inBothThemes('new-card-dialog');

    await dialog.getByLabel('Command', { exact: true }).fill(`echo step-started; until [ -e ${step.path} ]; do sleep 0.1; done; echo notes > NOTES.md; echo step-finished`);
    await dialog.getByLabel(/Commit what it changes/).check();
    await dialog.getByRole('button', { name: 'Create card' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await cardIn(board.page, 'todo', title).waitFor();
    await cardIn(watcher.page, 'todo', title).waitFor();
  });

  it('starts the card by dragging it to In Progress, streams its log, and reaches In Review with its diff', async () => {
    const board = await open(`/repos/${repo.id}`);
    const watcher = await open(`/repos/${repo.id}`);
    await cardIn(watcher.page, 'todo', title).waitFor();

    await cardIn(board.page, 'todo', title).dragTo(board.page.locator('[data-column="in_progress"]'));
    await cardIn(board.page, 'in_progress', title).waitFor();
    await cardIn(watcher.page, 'in_progress', title).waitFor();
    await board.inBothThemes('board');

    await cardIn(board.page, 'in_progress', title).getByRole('link', { name: title }).click();
    await board.page.waitForURL('**/cards/*');
    const log = board.page.getByLabel('Execution log');
    await log.getByText('step-started', { exact: true }).waitFor();
    // The step is still waiting for the gate: this output came while it ran.
    expect(await board.page.getByTestId('card-status').textContent()).toBe('In Progress');
    await board.page.getByRole('button', { name: 'Cancel' }).waitFor();

    step.open();
    await log.getByText('step-finished', { exact: true }).waitFor();
    await board.page.getByTestId('card-status').getByText('In Review').waitFor();
    await cardIn(watcher.page, 'in_review', title).waitFor();
    await board.page.getByText('End of log.').waitFor();
    await board.page.locator('.d2h-file-name', { hasText: 'NOTES.md' }).first().waitFor();
    expect(await board.page.getByTestId('execution-state').textContent()).toContain('succeeded, exit 0');
    await board.inBothThemes('card-in-review');
  });

  it('approves the card into main and both browsers see it in Done', async () => {
    const board = await open(`/repos/${repo.id}`);
    const watcher = await open(`/repos/${repo.id}`);
    await cardIn(watcher.page, 'in_review', title).waitFor();
    await cardIn(board.page, 'in_review', title).getByRole('link', { name: title }).click();
    await board.page.getByRole('button', { name: 'Approve' }).click();
    await board.page.getByTestId('card-status').getByText('Done').waitFor();
    await cardIn(watcher.page, 'done', title).waitFor();

    const commits = (await (await ownerFetch(`/api/repos/${repo.id}/commits?branch=main`)).json()) as unknown[];
    expect(commits.length).toBe(2);
    await board.inBothThemes('card-done');
  });

  it('starts, cancels and retries a card from its page, each attempt in its history', async () => {
    const id = await createCard('Wait for the mirror', 'echo waiting-for-mirror; sleep 300');
    const page = await open(`/cards/${id}`);
    const status = page.page.getByTestId('card-status');
    await page.page.getByRole('button', { name: 'Start' }).click();
    await page.page.getByLabel('Execution log').getByText('waiting-for-mirror', { exact: true }).waitFor();
    await page.page.getByRole('button', { name: 'Cancel' }).click();
    await status.getByText('Failed').waitFor();
    await page.page.getByTestId('execution-state').getByText('cancelled', { exact: false }).waitFor();

    await page.page.getByRole('button', { name: 'Retry' }).click();
    await status.getByText('In Progress').waitFor();
    await page.page.getByRole('button', { name: 'Show the log of attempt 2' }).waitFor();
    expect(await page.page.getByRole('button', { name: 'Show the log of attempt 1' }).count()).toBe(1);
    await page.page.getByRole('button', { name: 'Cancel' }).click();
    await status.getByText('Failed').waitFor();
    await page.page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.page.locator('.history li').count()).toBe(4);
  });

  it('snaps a forbidden drag back and says why, from the host’s answer', async () => {
    const board = await open(`/repos/${repo.id}`);
    await createCard('Tag the release', 'echo tagged');
    await cardIn(board.page, 'todo', 'Tag the release').waitFor();

    board.expectAnswer(409, '/api/cards/');
    const refused = board.page.waitForResponse((response) => response.request().method() === 'PATCH' && response.status() === 409);
    await cardIn(board.page, 'todo', 'Tag the release').dragTo(board.page.locator('[data-column="done"]'));
    await refused;

    const reason = board.page.locator('.refusal-banner');
    await reason.getByText('Cannot move “Tag the release” to Done').waitFor();
    expect(await reason.textContent()).toContain("A card that is todo cannot be set to done here; use the allowed transitions' endpoints. From To Do it can: Start → In Progress.");
    await cardIn(board.page, 'todo', 'Tag the release').waitFor();
    expect(await board.page.locator('[data-column="done"]').getByRole('article', { name: 'Tag the release' }).count()).toBe(0);
    await board.inBothThemes('board-refused-move');
  });

  it('finds cards with / and shows the shortcuts with ?', async () => {
    const board = await open(`/repos/${repo.id}`);
    await cardIn(board.page, 'todo', 'Tag the release').waitFor();
    await board.page.keyboard.press('/');
    await board.page.keyboard.type('release notes');
    await board.page.getByRole('article', { name: 'Tag the release' }).waitFor({ state: 'detached' });
    await cardIn(board.page, 'done', title).waitFor();
    await board.page.keyboard.press('Escape');
    await board.page.getByRole('article', { name: 'Tag the release' }).waitFor();

    await board.page.locator('body').click();
    await board.page.keyboard.press('?');
    const help = board.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await board.inBothThemes('help');
    await board.page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  it('works on a phone: the board scrolls by column and a card moves from its menu', async () => {
    const phone = await open(`/repos/${repo.id}`, { viewport: { width: 390, height: 844 } });
    const card = cardIn(phone.page, 'todo', 'Tag the release');
    await card.waitFor();
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'the page itself must not scroll sideways').toBeLessThanOrEqual(390);
    await phone.inBothThemes('phone-board');

    await card.getByLabel('Move “Tag the release” to').selectOption('in_progress');
    await cardIn(phone.page, 'in_review', 'Tag the release').waitFor({ timeout: 60_000 });
    await phone.page.getByRole('link', { name: 'Tag the release' }).click();
    await phone.page.getByLabel('Execution log').getByText('tagged', { exact: true }).waitFor();
    await phone.page.getByText('The branch changes nothing yet.').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth), 'the card page must not scroll sideways').toBeLessThanOrEqual(390);
    expect(await phone.page.getByRole('combobox', { name: 'Repository' }).inputValue()).toBe(repo.id);
    await phone.inBothThemes('phone-card');

    await phone.page.getByLabel('Reason').fill('tag it after the notes are out');
    await phone.page.getByRole('button', { name: 'Reject' }).click();
    await phone.page.getByTestId('card-status').getByText('To Do').waitFor();
    await phone.page.locator('.history li', { hasText: 'tag it after the notes are out' }).waitFor();
  });

  async function createCard(cardTitle: string, command: string): Promise<string> {
    const response = await ownerFetch(`/api/repos/${repo.id}/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: cardTitle, step_type: 'script', step_config: { command } }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }
});
