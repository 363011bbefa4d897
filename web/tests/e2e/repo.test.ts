import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, hostUrl, ingestRepo, ownerFetch, watchedBrowser } from './harness';

// The repository page: what LazyAF holds (clone URL, branches, commits, pushes), how to land it,
// its secrets (names only) and its webhooks, against the real host.
describe.sequential('the repository page against the real host', () => {
  let repo: { id: string; dir: string };

  const { open } = watchedBrowser();

  beforeAll(async () => {
    const name = 'firmware-tools';
    repo = await ingestRepo(name);
    // A second branch with a commit of its own, pushed by ingest again.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
    git('checkout', '-q', '-b', 'feature/blink');
    writeFileSync(join(repo.dir, 'blink.c'), 'int main(void) { return 0; }\n');
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@localhost', 'commit', '-qm', 'blink the LED');
    cli(['ingest', '.', '--all-branches'], repo.dir);
    const pipeline = await ownerFetch(`/api/repos/${repo.id}/pipelines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: 'name: deploy\nsteps:\n  - id: go\n    config: {command: "echo deploy"}\n' }),
    });
    expect(pipeline.status).toBe(201);
  });

  it('shows the clone URL, how to land, the branches with their commits, and the pushes', async () => {
    const page = await open(`/repos/${repo.id}`);
    await page.page.getByRole('link', { name: 'Repository', exact: true }).click();
    await page.page.waitForURL(`**/repos/${repo.id}/settings`);
    await page.page.getByRole('heading', { name: 'firmware-tools', level: 1 }).waitFor();
    expect(await page.page.getByLabel('Clone URL', { exact: true }).textContent()).toMatch(new RegExp(`^${hostUrl}/git/.+\\.git$`));
    expect(await page.page.getByLabel('Land the default branch', { exact: true }).textContent()).toContain(`LAZYAF_SERVER=${hostUrl} lazyaf land firmware-tools`);

    const branches = page.page.getByRole('list', { name: 'Branches' });
    expect(await branches.getByRole('listitem').count()).toBe(2);
    expect(await branches.getByRole('listitem').first().textContent()).toContain('main');
    const commits = page.page.getByRole('list', { name: 'Commits' });
    await commits.getByText('first commit').waitFor();
    expect(await commits.getByText('blink the LED').count()).toBe(0);
    await branches.getByRole('button', { name: 'feature/blink' }).click();
    await commits.getByText('blink the LED').waitFor();
    await page.page.getByRole('heading', { name: 'Recent commits on feature/blink' }).waitFor();
    expect(await page.page.getByRole('list', { name: 'Pushes' }).textContent()).toContain('feature/blink');
    await page.inBothThemes('repo');
  });

  it('sets a secret whose value never comes back, refuses a bad name with a sentence, and deletes it', async () => {
    const page = await open(`/repos/${repo.id}/settings`);
    await page.page.getByText('No secret yet.').waitFor();
    const value = 'hunter2-very-secret';
    await page.page.getByLabel('Name', { exact: true }).fill('DEPLOY_TOKEN');
    await page.page.getByLabel('Value', { exact: true }).fill(value);
    await page.page.getByRole('button', { name: 'Set secret' }).click();
    const secrets = page.page.getByRole('list', { name: 'Secrets' });
    await secrets.getByText('DEPLOY_TOKEN').waitFor();
    expect(await page.page.getByLabel('Value', { exact: true }).inputValue()).toBe('');
    expect(await page.page.content()).not.toContain(value);

    page.expectAnswer(400, `/api/repos/${repo.id}/secrets/`);
    await page.page.getByLabel('Name', { exact: true }).fill('9-lives');
    await page.page.getByLabel('Value', { exact: true }).fill('x');
    await page.page.getByRole('button', { name: 'Set secret' }).click();
    const refusal = page.page.locator('section[aria-labelledby="secrets-heading"] .problem');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/[.!?]$/);
    expect(await refusal.textContent()).toContain('environment variable name');

    page.page.once('dialog', (dialog) => void dialog.accept());
    await page.page.getByRole('button', { name: 'Delete the secret DEPLOY_TOKEN' }).click();
    await page.page.getByText('No secret yet.').waitFor();
    const left = (await (await ownerFetch(`/api/repos/${repo.id}/secrets`)).json()) as unknown[];
    expect(left).toEqual([]);
  });

  it('adds a webhook for a pipeline, shows its URL once, and deletes it', async () => {
    const page = await open(`/repos/${repo.id}/settings`);
    await page.page.getByText('No webhook yet.').waitFor();
    await page.page.getByLabel('Pipeline', { exact: true }).fill('deploy');
    await page.page.getByLabel('Provider').selectOption('github');
    // GitHub signs its deliveries: without a secret the host refuses, and the page says why.
    page.expectAnswer(400, `/api/repos/${repo.id}/webhooks`);
    await page.page.getByRole('button', { name: 'Add webhook' }).click();
    const refusal = page.page.locator('section[aria-labelledby="webhooks-heading"] .problem');
    await refusal.getByText('a github webhook needs a secret: deliveries are verified with it.').waitFor();
    await page.page.getByLabel('Secret (optional)').fill('shared-with-github');
    await page.page.getByRole('button', { name: 'Add webhook' }).click();
    const url = page.page.getByLabel('Webhook URL', { exact: true });
    await url.waitFor();
    expect(await url.textContent()).toMatch(new RegExp(`^${hostUrl}/api/webhooks/\\S+$`));
    const hooks = page.page.getByRole('list', { name: 'Webhooks' });
    expect(await hooks.textContent()).toContain('github, signed');
    await refusal.waitFor({ state: 'detached' });
    await page.inBothThemes('repo-webhook');

    await page.page.getByRole('button', { name: 'Delete the webhook of deploy' }).click();
    await page.page.getByText('No webhook yet.').waitFor();
    await url.waitFor({ state: 'detached' });
  });

  it('works on a phone', async () => {
    const phone = await open(`/repos/${repo.id}/settings`, { viewport: { width: 390, height: 844 } });
    await phone.page.getByRole('list', { name: 'Branches' }).waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth), 'the page must not scroll sideways').toBeLessThanOrEqual(390);
    await phone.inBothThemes('phone-repo');
  });
});
