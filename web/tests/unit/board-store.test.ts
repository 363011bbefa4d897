import { describe, expect, it } from 'vitest';
import { BoardStore, matches } from '../../src/lib/board/board-store.svelte';
import { cardResponse, fakeApi, summary } from './fakes';

const refused = {
  type: 'urn:lazyaf:problem:conflict',
  title: 'Transition not allowed',
  status: 409,
  detail: "A card that is todo cannot be set to done here; use the allowed transitions' endpoints.",
  current_status: 'todo',
  allowed: [{ trigger: 'start', to: 'in_progress' }],
};

describe('BoardStore', () => {
  it('loads the cards into their columns, ordered by position', async () => {
    const { api } = fakeApi(({ path }) =>
      path === '/api/repos/r1/cards'
        ? {
            status: 200,
            body: [
              summary({ id: 'b', title: 'Second', position: 1 }),
              summary({ id: 'a', title: 'First', position: 0 }),
              summary({ id: 'f', title: 'Broke', status: 'failed' }),
            ],
          }
        : undefined,
    );
    const board = new BoardStore(api, 'r1');
    await board.load();

    expect(board.loading).toBe(false);
    expect(board.byColumn.todo.map((card) => card.title)).toEqual(['First', 'Second']);
    expect(board.byColumn.failed.map((card) => card.id)).toEqual(['f']);
    expect(board.byColumn.done).toEqual([]);
  });

  it('follows the host\'s next-page links until the last page', async () => {
    const { api, requests } = fakeApi(({ path }) => {
      if (path === '/api/repos/r1/cards')
        return { status: 200, body: [summary({ id: 'a', position: 0 })], headers: { link: '</api/repos/r1/cards?cursor=p2>; rel="next"' } };
      if (path === '/api/repos/r1/cards?cursor=p2')
        return { status: 200, body: [summary({ id: 'b', position: 1 })], headers: { link: '</api/repos/r1/cards?limit=1&cursor=p3>; rel="next"' } };
      if (path === '/api/repos/r1/cards?cursor=p3') return { status: 200, body: [summary({ id: 'c', status: 'done' })] };
      return undefined;
    });
    const board = new BoardStore(api, 'r1');
    await board.load();

    expect(board.error).toBeNull();
    expect(board.byColumn.todo.map((card) => card.id)).toEqual(['a', 'b']);
    expect(board.byColumn.done.map((card) => card.id)).toEqual(['c']);
    expect(requests.map((request) => request.path)).toEqual(['/api/repos/r1/cards', '/api/repos/r1/cards?cursor=p2', '/api/repos/r1/cards?cursor=p3']);
  });

  it('says why it could not load, as a sentence', async () => {
    const { api } = fakeApi(() => ({ status: 404, body: { title: 'Repo not found', status: 404, detail: "There is no repo 'r1'." } }));
    const board = new BoardStore(api, 'r1');
    await board.load();
    expect(board.error).toBe("There is no repo 'r1'.");
  });

  it('starts a card dropped on In Progress through the start endpoint', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/repos/r1/cards') return { status: 200, body: [summary()] };
      if (method === 'POST' && path === '/api/cards/c1/start')
        return { status: 202, body: cardResponse({ status: 'in_progress', branch_name: 'lazyaf/card-c1', updated_at: '2026-12-01T10:01:00+00:00' }) };
      return undefined;
    });
    const board = new BoardStore(api, 'r1');
    await board.load();

    const moving = board.move('c1', 'in_progress');
    expect(board.statusOf('c1')).toBe('in_progress');
    expect(await moving).toBe(true);

    expect(board.cards.c1!.status).toBe('in_progress');
    expect(board.cards.c1!.branch).toBe('lazyaf/card-c1');
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/cards/c1/start' });
    expect(requests.at(-1)?.body).toBeUndefined();
  });

  it.each([
    ['in_review', 'done', 'POST', '/api/cards/c1/approve'],
    ['in_review', 'todo', 'POST', '/api/cards/c1/reject'],
    ['failed', 'in_progress', 'POST', '/api/cards/c1/retry'],
    ['in_review', 'in_progress', 'POST', '/api/cards/c1/retry'],
    ['todo', 'done', 'PATCH', '/api/cards/c1'],
  ])('moves a card from %s to %s with %s %s', async (from, to, method, endpoint) => {
    const { api, requests } = fakeApi(({ path }) => (path === '/api/repos/r1/cards' ? { status: 200, body: [summary({ status: from })] } : { status: 200, body: cardResponse({ status: to }) }));
    const board = new BoardStore(api, 'r1');
    await board.load();
    await board.move('c1', to as never);
    expect(requests.at(-1)).toMatchObject({ method, path: endpoint });
    if (method === 'PATCH') expect(requests.at(-1)?.body).toEqual({ status: to });
  });

  it('snaps a refused move back and says why, with what the card may do instead', async () => {
    const { api } = fakeApi(({ method, path }) => {
      if (path === '/api/repos/r1/cards') return { status: 200, body: [summary()] };
      if (method === 'PATCH') return { status: 409, body: refused };
      return undefined;
    });
    const board = new BoardStore(api, 'r1');
    await board.load();

    expect(await board.move('c1', 'done')).toBe(false);

    expect(board.statusOf('c1')).toBe('todo');
    expect(board.byColumn.todo.map((card) => card.id)).toEqual(['c1']);
    expect(board.refusal?.cardId).toBe('c1');
    expect(board.refusal?.message).toBe(
      "Cannot move “Write the parser” to Done: A card that is todo cannot be set to done here; use the allowed transitions' endpoints. From To Do it can: Start → In Progress.",
    );
  });

  it('names the blocker when the host refuses to start a blocked card', async () => {
    const { api } = fakeApi(({ path }) => {
      if (path === '/api/repos/r1/cards')
        return { status: 200, body: [summary({ blocked_by: [{ id: 'c0', title: 'Schema first', status: 'todo' }] }), summary({ id: 'c0', title: 'Schema first' })] };
      return {
        status: 409,
        body: { ...refused, detail: 'Cannot start this card until every card it is blocked by is done: it is blocked by c0.', allowed: [] },
      };
    });
    const board = new BoardStore(api, 'r1');
    await board.load();
    expect(board.openBlockers(board.cards.c1!).map((blocker) => blocker.title)).toEqual(['Schema first']);

    await board.move('c1', 'in_progress');
    expect(board.refusal?.message).toBe(
      'Cannot move “Write the parser” to In Progress: Cannot start this card until every card it is blocked by is done: it is blocked by c0. Nothing can move it from To Do.',
    );
  });

  it('applies live events of its repo and ignores older and foreign ones', async () => {
    const { api } = fakeApi(({ path }) => (path === '/api/repos/r1/cards' ? { status: 200, body: [summary({ cost_usd: 1.5 })] } : undefined));
    const board = new BoardStore(api, 'r1');
    await board.load();
    const snapshot = { id: 'c1', repo_id: 'r1', title: 'Write the parser', status: 'in_review', step_type: 'script', branch_name: 'b', position: 0 };

    board.apply({ type: 'card.updated', id: 7, payload: { card: { ...snapshot, updated_at: '2026-12-01T10:05:00+00:00' } } });
    board.apply({ type: 'card.updated', id: 8, payload: { card: { ...snapshot, status: 'todo', updated_at: '2026-12-01T10:04:00+00:00' } } });
    board.apply({ type: 'card.created', id: 9, payload: { card: { ...snapshot, id: 'x', repo_id: 'other', updated_at: '2026-12-01T10:06:00+00:00' } } });
    board.apply({ type: 'card.created', id: 10, payload: { card: { ...snapshot, id: 'c2', title: 'New one', status: 'todo', updated_at: '2026-12-01T10:07:00+00:00' } } });

    expect(board.cards.c1!.status).toBe('in_review');
    expect(board.cards.c1!.costUsd).toBe(1.5);
    expect(board.cards.x).toBeUndefined();
    expect(board.byColumn.todo.map((card) => card.title)).toEqual(['New one']);

    board.apply({ type: 'card.deleted', id: 11, payload: { card_id: 'c2', repo_id: 'r1' } });
    expect(board.cards.c2).toBeUndefined();
  });

  it('filters by every word of the search', async () => {
    const card = { ...(await loaded()).cards.c1! };
    expect(matches(card, '')).toBe(true);
    expect(matches(card, 'PARSER write')).toBe(true);
    expect(matches(card, 'parser docker')).toBe(false);
    expect(matches({ ...card, requires: ['gpu'] }, 'gpu')).toBe(true);
    expect(matches({ ...card, branch: 'lazyaf/card-1234' }, 'card-1234')).toBe(true);
  });
});

async function loaded() {
  const { api } = fakeApi(() => ({ status: 200, body: [summary()] }));
  const board = new BoardStore(api, 'r1');
  await board.load();
  return board;
}

describe('BoardStore loading while events arrive', () => {
  it('keeps a card created after the list was read but announced before the list arrived', async () => {
    let answer: (() => void) | undefined;
    const listed = new Promise<void>((done) => (answer = done));
    const { api } = fakeApi(async () => {
      await listed;
      return { status: 200, body: [summary()] };
    });
    const board = new BoardStore(api, 'r1');

    const loading = board.load();
    board.apply({
      type: 'card.created',
      id: 5,
      payload: { card: { id: 'c9', repo_id: 'r1', title: 'Just made', status: 'todo', step_type: 'script', branch_name: null, position: 1, updated_at: '2026-12-01T10:09:00+00:00' } },
    });
    board.apply({ type: 'card.deleted', id: 6, payload: { card_id: 'c1', repo_id: 'r1' } });
    answer!();
    await loading;

    expect(Object.keys(board.cards)).toEqual(['c9']);
  });
});
