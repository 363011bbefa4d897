/** The board's pages, by URL. */
export type Route =
  | { page: 'home' }
  | { page: 'board'; repoId: string }
  | { page: 'card'; cardId: string }
  | { page: 'pipelines'; repoId: string }
  | { page: 'new-pipeline'; repoId: string }
  | { page: 'pipeline'; repoId: string; name: string }
  | { page: 'run'; runId: string }
  | { page: 'repo'; repoId: string }
  | { page: 'runners' }
  | { page: 'approvals' }
  | { page: 'playground'; repoId: string }
  | { page: 'not-found'; path: string };

const patterns: [RegExp, (match: RegExpExecArray) => Route][] = [
  [/^\/$/, () => ({ page: 'home' })],
  [/^\/repos\/([^/]+)\/?$/, (m) => ({ page: 'board', repoId: decodeURIComponent(m[1]!) })],
  [/^\/cards\/([^/]+)\/?$/, (m) => ({ page: 'card', cardId: decodeURIComponent(m[1]!) })],
  [/^\/repos\/([^/]+)\/pipelines\/?$/, (m) => ({ page: 'pipelines', repoId: decodeURIComponent(m[1]!) })],
  [/^\/repos\/([^/]+)\/new-pipeline\/?$/, (m) => ({ page: 'new-pipeline', repoId: decodeURIComponent(m[1]!) })],
  [/^\/repos\/([^/]+)\/pipelines\/([^/]+)\/?$/, (m) => ({ page: 'pipeline', repoId: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!) })],
  [/^\/runs\/([^/]+)\/?$/, (m) => ({ page: 'run', runId: decodeURIComponent(m[1]!) })],
  [/^\/repos\/([^/]+)\/settings\/?$/, (m) => ({ page: 'repo', repoId: decodeURIComponent(m[1]!) })],
  [/^\/runners\/?$/, () => ({ page: 'runners' })],
  [/^\/approvals\/?$/, () => ({ page: 'approvals' })],
  [/^\/repos\/([^/]+)\/playground\/?$/, (m) => ({ page: 'playground', repoId: decodeURIComponent(m[1]!) })],
];

export function match(path: string): Route {
  for (const [pattern, route] of patterns) {
    const found = pattern.exec(path);
    if (found) return route(found);
  }
  return { page: 'not-found', path };
}

export const paths = {
  board: (repoId: string) => `/repos/${encodeURIComponent(repoId)}`,
  card: (cardId: string) => `/cards/${encodeURIComponent(cardId)}`,
  pipelines: (repoId: string) => `/repos/${encodeURIComponent(repoId)}/pipelines`,
  newPipeline: (repoId: string) => `/repos/${encodeURIComponent(repoId)}/new-pipeline`,
  pipeline: (repoId: string, name: string) => `/repos/${encodeURIComponent(repoId)}/pipelines/${encodeURIComponent(name)}`,
  run: (runId: string) => `/runs/${encodeURIComponent(runId)}`,
  repo: (repoId: string) => `/repos/${encodeURIComponent(repoId)}/settings`,
  runners: () => '/runners',
  approvals: () => '/approvals',
  playground: (repoId: string) => `/repos/${encodeURIComponent(repoId)}/playground`,
};

/**
 * A small history router: the host answers index.html for every page path, so links are plain
 * `<a href>`s; clicks on same-origin links are turned into `navigate` calls.
 */
export class Router {
  path = $state(location.pathname);
  route = $derived(match(this.path));

  constructor() {
    window.addEventListener('popstate', () => (this.path = location.pathname));
    document.addEventListener('click', (event) => this.#follow(event));
  }

  navigate(to: string, options: { replace?: boolean } = {}) {
    if (to === location.pathname + location.search) return;
    if (options.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.path = location.pathname;
  }

  #follow(event: MouseEvent) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || match(url.pathname).page === 'not-found') return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  }
}
