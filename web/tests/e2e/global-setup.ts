import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot, startHost, webDir } from '../../scripts/host.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    hostUrl: string;
    hostToken: string;
    cliDll: string;
  }
}

const cliProject = join(repoRoot, 'src', 'LazyAf.Cli');
const cliDll = join(cliProject, 'bin', 'Release', 'net10.0', 'lazyaf.dll');

/** Builds the board from the current sources, starts one host serving it, and makes sure the CLI is built; returns the teardown. */
export default async function setup(project: TestProject) {
  // In its own process (the bundler's native threads would keep this one alive after the tests), as a
  // production build: vitest sets NODE_ENV=test, which would build Svelte's development runtime.
  const board = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (board.status !== 0) throw new Error('vite build of the board failed');
  if (!existsSync(cliDll)) {
    const built = spawnSync('dotnet', ['build', cliProject, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('dotnet build of the CLI failed');
  }
  const host = await startHost({ boardPath: join(webDir, 'dist') });
  project.provide('hostUrl', host.url);
  project.provide('hostToken', host.token);
  project.provide('cliDll', cliDll);
  return () => host.stop();
}
