import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, gate, ingestRepo, ownerFetch, watchedBrowser } from './harness';

// A pipeline written on the board: a YAML error shown at its line, fixed, saved, run; its run page
// shows the steps, their logs and the tests; a second run is cancelled from its page.
describe.sequential('pipelines on the board against the real host', () => {
  let repo: { id: string; dir: string };
  const slow = gate();

  const valid = `name: ci-demo
description: Tests, then ships
steps:
  - id: test
    name: Unit tests
    config:
      command: |
        echo running-tests
        printf '%s' '<testsuite name="calc" tests="3" failures="1"><testcase classname="calc" name="adds"/><testcase classname="calc" name="subtracts"/><testcase classname="calc" name="divides"><failure message="expected 2, got 3">expected 2, got 3</failure></testcase></testsuite>' > report.xml
        exit 1
    on_failure: next
  - id: ship
    needs: [test]
    config: {command: "echo shipped"}
`;
  // Line 13 names a step that does not exist.
  const broken = valid.replace('needs: [test]', 'needs: [tset]');

  const { open } = watchedBrowser();

  beforeAll(async () => {
    repo = await ingestRepo('ci-demo');
  });

  it('teaches how to add a pipeline while the repo has none', async () => {
    const list = await open(`/repos/${repo.id}/pipelines`);
    await list.page.getByRole('heading', { name: 'No pipeline yet' }).waitFor();
    expect(await list.page.getByLabel('Commit a pipeline file', { exact: true }).textContent()).toContain('.lazyaf/pipelines/ci.yml');
    await list.page.getByText('No run yet.').waitFor();
    expect(await list.page.getByRole('link', { name: 'Pipelines', exact: true }).getAttribute('aria-current')).toBe('page');
    await list.inBothThemes('pipelines-empty');
  });

  it('shows a YAML error at its line and column as it is typed, and stores the pipeline once it is fixed', async () => {
    const editor = await open(`/repos/${repo.id}/pipelines`);
    await editor.page.getByRole('link', { name: 'New pipeline' }).first().click();
    await editor.page.waitForURL(`**/repos/${repo.id}/new-pipeline`);
    await editor.page.getByTestId('validation').getByText('Valid').waitFor();

    // What the host says about the broken text, to compare with what the page shows.
    const answer = await ownerFetch('/api/pipelines/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ yaml: broken }) });
    expect(answer.status).toBe(400);
    const [error] = ((await answer.json()) as { errors: { line: number; column: number; message: string }[] }).errors;
    expect(error!.line).toBe(13);
    expect(error!.message).toContain("'tset'");

    editor.expectAnswer(400, '/api/pipelines/validate');
    const yaml = editor.page.getByLabel('Pipeline YAML', { exact: true });
    await yaml.fill(broken);
    await editor.page.getByTestId('validation').getByText('1 error').waitFor();
    await editor.page.locator('.gutter .line-number.error[data-line="13"]').waitFor();
    expect(await editor.page.locator('.gutter .line-number.error').count()).toBe(1);
    const listed = editor.page.getByRole('list', { name: 'Errors in the pipeline' }).getByRole('button');
    expect(await listed.textContent()).toBe(`Line 13, column ${error!.column}: ${error!.message.replace(/\.?$/, '.')}`);
    expect(await yaml.getAttribute('aria-invalid')).toBe('true');
    await editor.inBothThemes('pipeline-editor-error');

    // The error's link puts the cursor on it.
    await listed.click();
    const cursorLine = await yaml.evaluate((area: HTMLTextAreaElement) => area.value.slice(0, area.selectionStart).split('\n').length);
    expect(cursorLine).toBe(13);

    await yaml.fill(valid);
    await editor.page.getByTestId('validation').getByText('Valid').waitFor();
    expect(await editor.page.locator('.gutter .line-number.error').count()).toBe(0);
    const graph = editor.page.getByRole('img', { name: /^Steps of ci-demo/ });
    expect(await graph.getAttribute('aria-label')).toContain('Unit tests, on failure next; ship, after test');
    await editor.page.getByRole('button', { name: 'Create pipeline' }).click();
    await editor.page.waitForURL(`**/repos/${repo.id}/pipelines/ci-demo`);
    await editor.page.getByRole('heading', { name: 'ci-demo', level: 1 }).waitFor();
    await editor.page.getByText('No run yet. Press Run').waitFor();
    await editor.inBothThemes('pipeline-editor');

    const stored = (await (await ownerFetch(`/api/repos/${repo.id}/pipelines`)).json()) as { name: string; yaml: string }[];
    expect(stored.map((pipeline) => pipeline.name)).toEqual(['ci-demo']);
    expect(stored[0]!.yaml).toBe(valid);
  });

  it('runs the pipeline; its run page shows every step, its log and its tests, and the history lists it', async () => {
    const page = await open(`/repos/${repo.id}/pipelines/ci-demo`);
    await page.page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.page.waitForURL('**/runs/*');
    const runId = page.page.url().split('/runs/')[1]!;

    await page.page.getByTestId('run-state').getByText('passed').waitFor({ timeout: 60_000 });
    const rows = page.page.locator('table.steps tbody tr');
    expect(await rows.count()).toBe(2);
    await page.page.locator('tr[data-step="test"]').getByText('failed (exit 1)').waitFor();
    await page.page.locator('tr[data-step="ship"]').getByText('passed').waitFor();

    // The failed step is shown first: its tests with the failure's message, and its log.
    await page.page.getByRole('heading', { name: 'Unit tests', level: 2 }).waitFor();
    await page.page.getByTestId('step-tests').getByText('2 passed, 1 failed, 0 skipped of 3').waitFor();
    expect(await page.page.getByRole('list', { name: 'Failed tests' }).textContent()).toContain('divides');
    expect(await page.page.getByRole('list', { name: 'Failed tests' }).textContent()).toContain('expected 2, got 3');
    await page.page.getByLabel('Execution log').getByText('running-tests', { exact: true }).waitFor();
    expect(await page.page.getByTestId('run-tests').textContent()).toBe('2 passed, 1 failed, 0 skipped of 3');
    await page.inBothThemes('run-passed');

    await page.page.getByRole('button', { name: 'ship passed' }).click();
    await page.page.getByRole('heading', { name: 'ship', level: 2 }).waitFor();
    await page.page.getByLabel('Execution log').getByText('shipped', { exact: true }).waitFor();

    await page.page.getByRole('link', { name: 'ci-demo' }).click();
    await page.page.getByRole('link', { name: `Run ${runId.slice(0, 8)} of ci-demo` }).waitFor();
    expect(await page.page.locator('table.runs [data-testid="run-state"]').first().textContent()).toBe('passed');
  });

  it('follows a running run live and cancels it from its page', async () => {
    const yaml = `name: slow\nsteps:\n  - id: wait\n    config: {command: "echo waiting; until [ -e ${slow.path} ]; do sleep 0.1; done"}\n  - id: after\n    config: {command: "echo never"}\n`;
    const created = await ownerFetch(`/api/repos/${repo.id}/pipelines`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ yaml }) });
    expect(created.status).toBe(201);
    const list = await open(`/repos/${repo.id}/pipelines`);
    await list.page.getByRole('link', { name: 'slow', exact: true }).click();
    await list.page.getByRole('button', { name: 'Run', exact: true }).click();
    await list.page.waitForURL('**/runs/*');
    await list.page.getByLabel('Execution log').getByText('waiting', { exact: true }).waitFor();
    await list.page.locator('tr[data-step="wait"]').getByText('running').waitFor();
    await list.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await list.page.getByTestId('run-state').getByText('cancelled').waitFor();
    await list.page.locator('tr[data-step="after"]').getByText('skipped').waitFor();
    await list.page.getByRole('button', { name: 'Cancel', exact: true }).waitFor({ state: 'detached' });
    slow.open();
  });

  it('lists the repo’s pipeline files with their errors, and runs one with a fix loop whose attempts the run page shows', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
    mkdirSync(join(repo.dir, '.lazyaf', 'pipelines'), { recursive: true });
    // test fails until the fix step has committed "fixed"; the fix loop then runs test again, in round 2.
    writeFileSync(
      join(repo.dir, '.lazyaf', 'pipelines', 'heal.yml'),
      'name: heal\nsteps:\n  - id: test\n    config: {command: "test -e fixed || { echo not-fixed-yet; exit 1; }"}\n    on_failure: run:fix\n  - id: fix\n    config: {command: "echo fixing; touch fixed", commit: true}\n',
    );
    writeFileSync(join(repo.dir, '.lazyaf', 'pipelines', 'broken.yml'), 'name: broken\nsteps:\n  - id: a\n    needs: [nowhere]\n    config: {command: "true"}\n');
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@localhost', 'commit', '-qm', 'pipelines in the repo');
    cli(['ingest', '.'], repo.dir);

    const list = await open(`/repos/${repo.id}/pipelines`);
    const pipelines = list.page.getByRole('list', { name: 'Pipelines' });
    await pipelines.getByText('.lazyaf/pipelines/heal.yml').waitFor();
    expect(await pipelines.getByRole('listitem').filter({ hasText: '.lazyaf/pipelines/broken.yml' }).textContent()).toContain('1 error');
    await pipelines.getByRole('link', { name: 'broken', exact: true }).click();
    await list.page.locator('.gutter .line-number.error[data-line="4"]').waitFor();
    expect(await list.page.getByLabel('Pipeline YAML', { exact: true }).getAttribute('readonly')).not.toBeNull();
    await list.page.getByText('change it in the repository').waitFor();

    await list.page.getByRole('link', { name: '← Pipelines' }).click();
    await pipelines.getByRole('link', { name: 'heal', exact: true }).click();
    await list.page.getByRole('button', { name: 'Run', exact: true }).click();
    await list.page.waitForURL('**/runs/*');
    await list.page.getByTestId('run-state').getByText('passed').waitFor({ timeout: 60_000 });
    await list.page.locator('tr[data-step="test"]').getByText('passed').waitFor();
    await list.page.locator('tr[data-step="test"] td').nth(2).getByText('2').waitFor();
    await list.page.locator('tr[data-step="test"]').getByRole('button', { name: 'test' }).click();
    const attempts = list.page.getByRole('group', { name: 'Attempts' });
    expect(await attempts.getByRole('radio').count()).toBe(2);
    await attempts.getByLabel('1: failed').check();
    await list.page.getByLabel('Execution log').getByText('not-fixed-yet', { exact: true }).waitFor();
    await attempts.getByLabel('2: passed, round 2').waitFor();
    await list.page.locator('tr[data-step="fix"]').getByRole('button', { name: 'fix' }).click();
    await list.page.getByRole('group', { name: 'Attempts' }).waitFor({ state: 'detached' });
    await list.page.getByLabel('Execution log').getByText('fixing', { exact: true }).waitFor();
    await list.inBothThemes('run-fix-loop');
  });

  it('works on a phone: the run page and the editor do not scroll sideways', async () => {
    const phone = await open(`/repos/${repo.id}/pipelines`, { viewport: { width: 390, height: 844 } });
    await phone.page.getByRole('list', { name: 'Pipelines' }).getByRole('link', { name: 'ci-demo', exact: true }).click();
    await phone.page.getByLabel('Pipeline YAML', { exact: true }).waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth), 'the editor must not scroll sideways').toBeLessThanOrEqual(390);
    await phone.inBothThemes('phone-pipeline');
    await phone.page.locator('table.runs a').first().click();
    await phone.page.getByTestId('run-state').waitFor();
    await phone.page.locator('table.steps').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth), 'the run page must not scroll sideways').toBeLessThanOrEqual(390);
    await phone.inBothThemes('phone-run');
  });
});
