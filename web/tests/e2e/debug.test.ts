import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRepo, ownerFetch, watchedBrowser } from './harness';

// A run re-run in debug mode from its page: the breakpoint picker starts a run that pauses before its
// second step; the terminal on the page is a shell in that step's environment; Resume lets it finish.
describe.sequential('debug re-run on the board against the real host', () => {
  const yaml = `name: debug-me
steps:
  - id: build
    config: {command: "echo built > built.txt", commit: true}
  - id: ship
    name: Ship it
    needs: [build]
    config: {command: echo shipped}
`;
  let firstRun = '';

  const { open } = watchedBrowser();

  beforeAll(async () => {
    const repo = await ingestRepo('debug-demo');
    const created = await ownerFetch(`/api/repos/${repo.id}/pipelines`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ yaml }) });
    expect(created.status).toBe(201);
    const run = await ownerFetch(`/api/repos/${repo.id}/pipelines/debug-me/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(run.status).toBe(202);
    firstRun = ((await run.json()) as { id: string }).id;
  });

  it('pauses a debug re-run before the chosen step, opens a shell there, and resumes it to the end', async () => {
    const page = await open(`/runs/${firstRun}`);
    await page.page.getByTestId('run-state').getByText('passed').waitFor({ timeout: 60_000 });

    await page.page.getByRole('button', { name: 'Debug re-run' }).click();
    const picker = page.page.getByRole('dialog', { name: 'Debug re-run' });
    const start = picker.getByRole('button', { name: 'Start debug run' });
    expect(await start.isDisabled()).toBe(true);
    await picker.getByRole('group', { name: 'Pause before' }).getByLabel('Ship it').check();
    await page.assertAccessible('debug re-run picker');
    await page.screenshot('debug-rerun-picker');
    await start.click();
    await page.page.waitForURL((url) => url.pathname.startsWith('/runs/') && !url.pathname.endsWith(firstRun));
    const debugRun = page.page.url().split('/runs/')[1]!;

    await page.page.getByTestId('run-state').getByText('paused').waitFor({ timeout: 60_000 });
    const panel = page.page.getByTestId('debug-session');
    await panel.getByRole('heading', { name: 'Paused before Ship it' }).waitFor();
    await page.page.locator('[data-testid="debug-terminal"][data-state="open"]').waitFor({ timeout: 30_000 });
    await panel.getByTestId('debug-state').getByText('connected').waitFor();
    expect(await page.page.locator('tr[data-step="build"]').textContent()).toContain('passed');

    const screen = page.page.locator('[data-testid="debug-terminal"] .xterm-rows');
    await page.page.locator('[data-testid="debug-terminal"] textarea').focus();
    await page.page.keyboard.type('echo step=$LAZYAF_STEP; ls\n');
    await screen.getByText('step=ship').waitFor();
    await screen.getByText('built.txt').first().waitFor();
    await page.inBothThemes('debug-session');

    await panel.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.page.getByTestId('run-state').getByText('passed').waitFor({ timeout: 60_000 });
    await page.page.getByTestId('debug-session').waitFor({ state: 'detached' });
    await page.page.locator('tr[data-step="ship"]').getByText('passed').waitFor();
    const sessions = (await (await ownerFetch(`/api/debug?run_id=${debugRun}`)).json()) as { state: string; step_id: string }[];
    expect(sessions.map((session) => `${session.step_id}:${session.state}`)).toEqual(['ship:ended']);
  });
});
