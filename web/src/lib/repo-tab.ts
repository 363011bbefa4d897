import type { Api } from './api/client';
import type { LiveEvents } from './live/live-events.svelte';
import type { Repo } from './repos-store.svelte';

/** What the shell hands each tab of one repository (its board, its pipelines). */
export interface RepoTabProps {
  api: Api;
  live: LiveEvents;
  /** The repository, from the address. */
  repoId: string;
  /** The repository itself, once the list of repositories has loaded. */
  repo: Repo | undefined;
}
