// Starts the real LazyAF host as its own process (as a user would) on a free loopback port with a
// fresh data directory: for generating the API client and for the end-to-end tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(webDir, '..');
const hostProject = join(repoRoot, 'src', 'LazyAf.Host');
const hostDll = process.env.LAZYAF_HOST_DLL ?? join(hostProject, 'bin', 'Release', 'net10.0', 'LazyAf.Host.dll');

/** Builds the host (incrementally) so what runs is what the sources say. */
export function buildHost() {
  const build = spawnSync('dotnet', ['build', hostProject, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`dotnet build ${hostProject} failed (exit ${build.status})`);
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * @typedef {{ url: string, dataDir: string, token: string, log: () => string, stop: () => Promise<void> }} RunningHost
 * @param {{ boardPath?: string, settings?: Record<string, string> }} [options]
 * @returns {Promise<RunningHost>}
 */
export async function startHost(options = {}) {
  if (!existsSync(hostDll)) buildHost();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'lazyaf-web-'));
  const args = [hostDll, '--urls', url, '--data-dir', dataDir, '--Serilog:MinimumLevel:Default=Warning'];
  if (options.boardPath) args.push(`--Board:Path=${options.boardPath}`);
  for (const [key, value] of Object.entries(options.settings ?? {})) args.push(`--${key}=${value}`);
  const env = { ...process.env };
  for (const key of ['ASPNETCORE_URLS', 'LAZYAF_URLS', 'LAZYAF_DATA_DIR']) delete env[key];
  const child = spawn('dotnet', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.on('exit', done));
  // A runner that ends without stopping it (a crash, process.exit) must not leave the host behind.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
    }
    process.off('exit', orphaned);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the host exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const health = await fetch(`${url}/health`);
      if (health.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the host did not answer ${url}/health within 60 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  // The owner token the host made on its first start, as the CLI finds it.
  const token = readFileSync(join(dataDir, 'owner.token'), 'utf8').trim();
  return { url, dataDir, token, log: () => output, stop };
}
