import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError, problemOf } from './problem';
import type { Session } from '../session.svelte';

export type Schemas = components['schemas'];
export type Api = Client<paths>;

/** Names the board in each card's history (`X-LazyAF-Actor`), as the CLI names itself. */
const actor: Middleware = {
  onRequest({ request }) {
    request.headers.set('X-LazyAF-Actor', 'board');
    return request;
  },
};

/** Tells the session when the host no longer knows this browser. */
function watching(session: Session): Middleware {
  return {
    onResponse({ response }) {
      if (response.status === 401) session.signedOut = true;
      return response;
    },
  };
}

/**
 * The typed client of the host's API. Requests go to the page's own origin with its cookies
 * (`same-origin`): the board signs in with an HttpOnly session cookie and holds no token itself.
 */
export function createApi(baseUrl = '', fetchImpl?: typeof fetch, session?: Session): Api {
  const client = createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  client.use(actor);
  if (session) client.use(watching(session));
  return client;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The answer's data, or an ApiError with the host's problem. A request that never got an answer
 * (host down, network gone) is an ApiError with status 0.
 */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'The LazyAF host did not answer; is it running?' }, 0);
  }
  if (!answer.response.ok) throw new ApiError(problemOf(answer.error, answer.response), answer.response.status);
  return answer.data as T;
}

/** The `cursor` of the page after this one, from the host's `Link: <url>; rel="next"` header; null on the last page. */
export function nextCursor(response: Response): string | null {
  const link = response.headers.get('Link');
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1] !== undefined) return new URL(match[1], 'http://host.invalid').searchParams.get('cursor');
  }
  return null;
}

/**
 * Every row of a paged listing: asks for the first page, then follows the host's next-page cursors until the
 * last page. A failed page is an ApiError, as with `call`.
 */
export async function everyPage<T>(page: (cursor: string | undefined) => Promise<Answer<T[]>>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    let response: Response | undefined;
    const answered = page(cursor).then((answer) => {
      response = answer.response;
      return answer;
    });
    rows.push(...(await call(answered)));
    cursor = (response && nextCursor(response)) ?? undefined;
  } while (cursor);
  return rows;
}

/** The host writes some integers and doubles as `number | string` in its schema; the values are numbers. */
export function num(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}
