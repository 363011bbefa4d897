export type ThemeChoice = 'system' | 'light' | 'dark';

const key = 'lazyaf.theme';

/** Light, dark, or whatever the system prefers; remembered in this browser. */
export class Theme {
  choice = $state<ThemeChoice>('system');

  readonly #storage: Storage;

  constructor(storage: Storage = localStorage) {
    this.#storage = storage;
    const saved = storage.getItem(key);
    if (saved === 'light' || saved === 'dark') this.choice = saved;
    this.#apply();
  }

  /** system → light → dark → system. */
  next() {
    this.choice = this.choice === 'system' ? 'light' : this.choice === 'light' ? 'dark' : 'system';
    if (this.choice === 'system') this.#storage.removeItem(key);
    else this.#storage.setItem(key, this.choice);
    this.#apply();
  }

  #apply() {
    if (this.choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.choice;
  }
}
