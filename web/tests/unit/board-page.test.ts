import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import BoardPage from '../../src/lib/board/board-page.svelte';
import { LiveEvents } from '../../src/lib/live/live-events.svelte';
import { FakeSocket, fakeApi, summary } from './fakes';

describe('board page', () => {
  beforeEach(() => {
    FakeSocket.made = [];
  });

  it('follows its repo before loading, draws a long column a page at a time, and applies live events', async () => {
    const listed = Array.from({ length: 120 }, (_, i) => summary({ id: `c${i}`, title: `Card ${i}`, position: i }));
    const { api, requests } = fakeApi(({ path }) => (path === '/api/repos/r1/cards' ? { status: 200, body: listed } : undefined));
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    const { container } = render(BoardPage, { api, live, repoId: 'r1', repo: undefined });
    // Role queries are slow over a hundred cards in jsdom; the columns' data attributes say the same.
    const drawn = (status: string) => [...container.querySelectorAll(`[data-column="${status}"] article`)].map((card) => card.getAttribute('data-card-id'));

    expect(FakeSocket.latest().url.searchParams.get('topics')).toBe('repo:r1');
    expect(requests).toEqual([]);
    FakeSocket.latest().open();

    await waitFor(() => expect(drawn('todo')).toHaveLength(100));
    expect(drawn('todo').at(-1)).toBe('c99');
    expect(container.querySelector('#column-todo')?.textContent).toBe('To Do 120');
    await fireEvent.click(screen.getByText('Show 20 more of 20'));
    await waitFor(() => expect(drawn('todo')).toHaveLength(120));

    FakeSocket.latest().receive({
      type: 'card.updated',
      id: 3,
      payload: { card: { id: 'c0', repo_id: 'r1', title: 'Card 0', status: 'in_review', step_type: 'script', branch_name: 'b', position: 0, updated_at: '2026-12-01T11:00:00+00:00' } },
    });
    await waitFor(() => expect(drawn('in_review')).toEqual(['c0']));
    expect(drawn('todo')).toHaveLength(119);
    live.close();
  });
});
