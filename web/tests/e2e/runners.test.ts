import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, startHost, webDir, type RunningHost } from '../../scripts/host.mjs';
import { gate, hostUrl, ingestRepo, watchedBrowser } from './harness';

const agentProject = join(repoRoot, 'src', 'LazyAf.NativeAgent');
const agentDll = join(agentProject, 'bin', 'Release', 'net10.0', 'lazyaf-native-agent.dll');

// The runners page: an empty LazyAF teaches how to connect one; then, on a host with a runner
// endpoint, the real native agent connects with the token the page made, runs a card's step while
// the page shows it, is drained and revoked from the page.
describe.sequential('the runners page against the real host', () => {
  let host: RunningHost | null = null;
  let runnerUrl = '';
  let agent: ChildProcess | null = null;
  let agentOutput = '';

  const { open } = watchedBrowser();

  afterAll(async () => {
    agent?.kill('SIGKILL');
    await host?.stop();
  });

  it('teaches how to connect a runner, with a fresh registration token in a command to copy', async () => {
    const page = await open('/runners');
    await page.page.getByText('No runner has registered yet.').waitFor();
    expect(await page.page.getByRole('link', { name: 'Runners', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.page.getByLabel('Note').fill('the Pi on the bench');
    await page.page.getByRole('button', { name: 'Make a registration token' }).click();
    const command = page.page.getByLabel('Command to connect a runner', { exact: true });
    await command.waitFor();
    const text = (await command.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`^lazyaf-native-agent --server http://127\\.0\\.0\\.1:8081 --token lzreg_[0-9a-f]+ --name my-runner --labels pool=bench$`));
    expect(hostUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await page.inBothThemes('runners-empty');
  });

  it('shows a real native agent that connects with the page’s token, what it runs, and drains and revokes it', async () => {
    if (!existsSync(agentDll)) {
      const built = spawnSync('dotnet', ['build', agentProject, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
      expect(built.status, 'dotnet build of the native agent').toBe(0);
    }
    runnerUrl = `http://127.0.0.1:${await freePort()}`;
    host = await startHost({ boardPath: join(webDir, 'dist'), settings: { 'Runners:Url': runnerUrl } });
    const address = { url: host.url, token: host.token };
    const page = await open('/runners', { host: address });
    await page.page.getByText('No runner has registered yet.').waitFor();
    await page.page.getByRole('button', { name: 'Make a registration token' }).click();
    const command = (await page.page.getByLabel('Command to connect a runner', { exact: true }).textContent()) ?? '';
    const token = /--token (\S+)/.exec(command)?.[1];
    expect(token).toMatch(/^lzreg_/);
    // The host's runner endpoint, as it told the page with the token: the agent dials what the command says.
    const server = /--server (\S+)/.exec(command)?.[1];
    expect(server).toBe(runnerUrl);

    const stateDir = mkdtempSync(join(tmpdir(), 'lazyaf-e2e-agent-'));
    agent = spawn('dotnet', [agentDll, '--server', server!, '--token', token!, '--name', 'bench-pi', '--labels', 'pool=bench', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (chunk) => (agentOutput += chunk));
    agent.stderr!.on('data', (chunk) => (agentOutput += chunk));

    // It appears without a reload, from runner.updated on /ws.
    const runner = page.page.getByRole('listitem', { name: 'bench-pi' });
    await runner.getByTestId('runner-state').getByText('idle').waitFor({ timeout: 60_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nagent output:\n${agentOutput}`);
    });
    expect(await runner.getByLabel('Labels').textContent()).toContain('pool=bench');
    await runner.getByText('Running nothing.').waitFor();
    await page.inBothThemes('runners-connected');

    // A card that only this runner may run: the page shows it running there, linked to the card.
    const step = gate();
    const repo = await ingestRepo('bench-firmware', address);
    const card = await ownerJson(address, `/api/repos/${repo.id}/cards`, {
      title: 'Flash the firmware',
      step_type: 'script',
      step_config: { command: `echo flashing; until [ -e ${step.path} ]; do sleep 0.1; done` },
      requires: ['pool=bench'],
    });
    await ownerJson(address, `/api/cards/${card.id}/start`, {});
    const running = runner.getByRole('link', { name: /^a card/ });
    await running.waitFor({ timeout: 60_000 });
    expect(await running.getAttribute('href')).toBe(`/cards/${card.id}`);
    await runner.getByTestId('runner-state').getByText('busy').waitFor();

    await runner.getByRole('button', { name: 'Drain' }).click();
    await runner.getByTestId('runner-state').getByText('draining', { exact: false }).waitFor();
    await runner.getByRole('button', { name: 'Drain' }).waitFor({ state: 'detached' });
    step.open();

    page.page.once('dialog', (dialog) => void dialog.accept());
    await runner.getByRole('button', { name: 'Revoke' }).click();
    await runner.waitFor({ state: 'detached' });
    await page.page.getByText('No runner has registered yet.').waitFor();
    const left = (await (await fetch(`${host.url}/api/runners`, { headers: { authorization: `Bearer ${host.token}` } })).json()) as unknown[];
    expect(left).toEqual([]);
  });
});

async function ownerJson(host: { url: string; token: string }, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}
