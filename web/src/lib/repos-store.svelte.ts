import { call, type Api, type Schemas } from './api/client';
import { messageOf } from './api/problem';

export type Repo = Schemas['RepoResponse'];

const lastRepoKey = 'lazyaf.repo';

/** The repos the picker offers, and the one last opened in this browser. */
export class ReposStore {
  repos = $state<Repo[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #storage: Storage;

  constructor(api: Api, storage: Storage = localStorage) {
    this.#api = api;
    this.#storage = storage;
  }

  get lastOpened(): string | null {
    const id = this.#storage.getItem(lastRepoKey);
    return id && this.repos.some((repo) => repo.id === id) ? id : null;
  }

  remember(repoId: string) {
    this.#storage.setItem(lastRepoKey, repoId);
  }

  find(id: string): Repo | undefined {
    return this.repos.find((repo) => repo.id === id);
  }

  async load() {
    try {
      this.repos = (await call(this.#api.GET('/api/repos'))).sort((a, b) => a.name.localeCompare(b.name));
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }
}
