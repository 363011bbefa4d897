import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHost, webDir, type RunningHost } from '../../scripts/host.mjs';
import { ingestRepo, launch, WatchedPage, type HostAddress } from './harness';
import { ScriptedModel } from './scripted-model';

// An agent card with the real Claude Code CLI against a scripted model: its tool call waits for a
// person, the alert shows on another page (title badge), it is answered on the card page, and the
// reviewer's line comments on its diff go back to the agent as one follow-up.
describe.sequential('an agent card with the real Claude CLI', () => {
  let browser: Browser;
  const pages: WatchedPage[] = [];
  let model: ScriptedModel;
  let host: RunningHost;
  let address: HostAddress;

  async function open(path: string, options?: Parameters<typeof WatchedPage.open>[2]) {
    const watched = await WatchedPage.open(browser, path, { host: address, ...options });
    pages.push(watched);
    return watched;
  }

  beforeAll(async () => {
    browser = await launch();
    model = await ScriptedModel.start([
      { tool: 'Bash', input: { command: 'echo approved-by-a-person > APPROVED.md', description: 'write a marker' } },
      { say: 'Wrote APPROVED.md.' },
    ]);
    host = await startHost({
      boardPath: join(webDir, 'dist'),
      settings: {
        'Agents:Executables:claude-code': join(repoRoot, 'tools', 'agent-clis', 'node_modules', '.bin', 'claude'),
        'Agents:Env:ANTHROPIC_BASE_URL': model.url,
        'Agents:Env:ANTHROPIC_API_KEY': 'sk-test-scripted',
        'Agents:Env:CLAUDE_CONFIG_DIR': mkdtempSync(join(tmpdir(), 'lazyaf-e2e-claude-')),
        'Agents:Env:CLAUDE_CODE_MAX_RETRIES': '1',
      },
    });
    address = { url: host.url, token: host.token };
  });

  afterEach(() => {
    for (const watched of pages) watched.assertClean();
  });

  afterAll(async () => {
    for (const watched of pages) await watched.close();
    await browser?.close();
    await host?.stop();
    await model?.stop();
  });

  it('waits for a person on its tool call, alerts every page, is allowed on the card page, and takes line comments as one follow-up', async () => {
    const repo = await ingestRepo('agent-notes', address);
    const created = await fetch(`${host.url}/api/repos/${repo.id}/cards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Mark the approval', description: 'Write APPROVED.md', step_type: 'agent', step_config: { agent: 'claude-code', approval: true } }),
    });
    expect(created.status).toBe(201);
    const card = (await created.json()) as { id: string };

    const elsewhere = await open(`/repos/${repo.id}/pipelines`);
    const page = await open(`/cards/${card.id}`);
    await page.page.getByRole('button', { name: 'Start' }).click();

    // Another page learns that the agent waits: a banner and the count in its title.
    const banner = elsewhere.page.getByRole('region', { name: 'An agent waits for your answer' });
    await banner.getByText('echo approved-by-a-person > APPROVED.md').waitFor({ timeout: 90_000 });
    expect(await elsewhere.page.title()).toBe('(1) LazyAF');
    await elsewhere.inBothThemes('agent-waiting-alert');

    const approvals = page.page.getByRole('region', { name: 'The agent waits for your answer' });
    await approvals.getByText('echo approved-by-a-person > APPROVED.md').waitFor();
    await page.inBothThemes('card-approval');
    // A page opened while the agent already waits finds the request too (from the host's approval queue).
    const late = await open('/runners');
    const lateBanner = late.page.getByRole('region', { name: 'An agent waits for your answer' });
    await lateBanner.getByText('echo approved-by-a-person > APPROVED.md').waitFor();
    expect(await late.page.title()).toBe('(1) LazyAF');
    await approvals.getByRole('button', { name: 'Allow' }).click();
    await approvals.waitFor({ state: 'detached' });

    await page.page.getByTestId('card-status').getByText('In Review').waitFor({ timeout: 90_000 });
    await page.page.locator('.d2h-file-name', { hasText: 'APPROVED.md' }).first().waitFor();

    // The log draws the agent's events: its text, its tool call (details on demand) and the result with its usage and cost.
    const log = page.page.getByLabel('Execution log');
    await log.locator('.agent-text', { hasText: 'Wrote APPROVED.md.' }).first().waitFor();
    expect(await log.locator('.agent-result').count()).toBe(0);
    await log.getByRole('button', { name: '▸ Bash' }).click();
    await log.locator('.agent-result').first().waitFor();
    expect(await log.locator('.agent-done').textContent()).toMatch(/^✓ Wrote APPROVED\.md\. \(2 turns, 240 in \/ 60 out, \$0\.\d{4}, [\d.]+ s\)/);
    expect(await log.textContent()).not.toContain('{"kind"');
    await banner.waitFor({ state: 'detached' });
    await lateBanner.waitFor({ state: 'detached' });
    expect(await elsewhere.page.title()).toBe('LazyAF');

    // The sound can be turned off, and stays off.
    const sound = elsewhere.page.getByRole('button', { name: /^Sound when an agent waits: on/ });
    await sound.click();
    await elsewhere.page.getByRole('button', { name: /^Sound when an agent waits: off/ }).waitFor();

    // Two comments, one picked by clicking the line number in the diff, sent as one follow-up.
    await page.page.locator('.d2h-code-linenumber', { hasText: '1' }).first().click();
    const review = page.page.getByRole('region', { name: 'Review comments' });
    expect(await review.getByLabel('File', { exact: true }).inputValue()).toBe('APPROVED.md');
    expect(await review.getByLabel('Line', { exact: true }).inputValue()).toBe('1');
    await review.getByLabel('Comment', { exact: true }).fill('say who approved it');
    await review.getByRole('button', { name: 'Add comment' }).click();
    await review.getByLabel('Line', { exact: true }).fill('1');
    await review.getByLabel('Comment', { exact: true }).fill('and when');
    await review.getByRole('button', { name: 'Add comment' }).click();
    expect(await review.getByRole('list', { name: 'Comments to send' }).getByRole('listitem').count()).toBe(2);
    await page.inBothThemes('card-review-comments');
    const before = model.requests.length;
    await review.getByRole('button', { name: 'Send 2 comments as a follow-up' }).click();
    await page.page.getByRole('button', { name: 'Show the log of attempt 2' }).waitFor({ timeout: 60_000 });
    await page.page.getByTestId('card-status').getByText('In Review').waitFor({ timeout: 90_000 });
    await expect.poll(() => model.requests.length).toBeGreaterThan(before);
    const sent = JSON.stringify(model.requests.slice(before));
    expect(sent).toContain('APPROVED.md:1: say who approved it');
    expect(sent).toContain('APPROVED.md:1: and when');
  });

  it('lists a waiting tool call on the Approvals page, from any page, and denies it there with a reason the agent is told', async () => {
    const repo = await ingestRepo('agent-denied', address);
    model.play({ tool: 'Bash', input: { command: 'rm -rf build', description: 'clean the build' } }, { say: 'Left the build alone.' });
    const created = await fetch(`${host.url}/api/repos/${repo.id}/cards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Clean up', description: 'Remove the build folder', step_type: 'agent', step_config: { agent: 'claude-code', approval: true } }),
    });
    expect(created.status).toBe(201);
    const card = (await created.json()) as { id: string };

    const page = await open(`/repos/${repo.id}`);
    await page.page.getByRole('link', { name: 'Approvals', exact: true }).click();
    await page.page.waitForURL('**/approvals');
    await page.page.getByTestId('no-approvals').waitFor();
    await page.inBothThemes('approvals-empty');
    const started = await fetch(`${host.url}/api/cards/${card.id}/start`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` } });
    expect(started.status).toBeLessThan(300);

    const listed = page.page.getByRole('list', { name: 'Waiting approvals' }).getByRole('listitem');
    await listed.getByText('rm -rf build').waitFor({ timeout: 90_000 });
    expect(await listed.count()).toBe(1);
    expect(await page.page.title()).toBe('(1) LazyAF');
    expect(await page.page.getByTestId('approvals-count').textContent()).toBe('1');
    expect(await listed.getByRole('link', { name: 'its card' }).getAttribute('href')).toBe(`/cards/${card.id}`);
    await page.inBothThemes('approvals-waiting');

    const before = model.requests.length;
    await listed.getByLabel('Reason for denying Bash').fill('keep the build for now');
    await listed.getByRole('button', { name: 'Deny' }).click();
    await page.page.getByTestId('no-approvals').waitFor();
    expect(await page.page.title()).toBe('LazyAF');
    await expect.poll(() => model.requests.length, { timeout: 60_000 }).toBeGreaterThan(before);
    expect(JSON.stringify(model.requests.slice(before))).toContain('keep the build for now');
    const answered = (await (await fetch(`${host.url}/api/approvals?state=denied`, { headers: { authorization: `Bearer ${host.token}` } })).json()) as { card_id: string; message: string }[];
    expect(answered.filter((approval) => approval.card_id === card.id).map((approval) => approval.message)).toEqual(['keep the build for now']);
  });

  it('runs an agent in the playground, streams what it does, shows its diff and saves it to a branch', async () => {
    const repo = await ingestRepo('playground-notes', address);
    model.play({ tool: 'Bash', input: { command: 'echo from-the-playground > PLAY.md', description: 'write a note' } }, { say: 'Wrote PLAY.md.' });
    const page = await open(`/repos/${repo.id}`);
    await page.page.getByRole('link', { name: 'Playground', exact: true }).click();
    await page.page.waitForURL(`**/repos/${repo.id}/playground`);
    await page.page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    await page.page.getByLabel('Task').fill('Write a note to PLAY.md');
    await page.page.getByRole('button', { name: 'Run', exact: true }).click();
    const events = page.page.getByRole('list', { name: 'Agent events' });
    await events.getByText('echo from-the-playground > PLAY.md').waitFor({ timeout: 90_000 });
    await page.page.getByTestId('playground-state').getByText('succeeded').waitFor({ timeout: 90_000 });
    await events.getByText('Wrote PLAY.md.').first().waitFor();
    await page.page.locator('.d2h-file-name', { hasText: 'PLAY.md' }).first().waitFor();
    await page.inBothThemes('playground');

    await page.page.getByLabel('Save to branch').fill('play/notes');
    await page.page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.page.getByText(/^Saved to play\/notes at [0-9a-f]{7} \(created\)\.$/).waitFor();
    const branches = (await (await fetch(`${host.url}/api/repos/${repo.id}/branches`, { headers: { authorization: `Bearer ${host.token}` } })).json()) as { name: string }[];
    expect(branches.map((branch) => branch.name)).toContain('play/notes');
  });
});
