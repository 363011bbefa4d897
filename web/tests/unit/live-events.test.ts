import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveEvents, type LiveMessage } from '../../src/lib/live/live-events.svelte';
import { FakeSocket } from './fakes';

function listener() {
  const events: LiveMessage[] = [];
  let resyncs = 0;
  return {
    events,
    resyncs: () => resyncs,
    listener: { event: (message: LiveMessage) => events.push(message), resync: () => resyncs++ },
  };
}

describe('LiveEvents', () => {
  let live: LiveEvents;

  beforeEach(() => {
    FakeSocket.made = [];
    vi.useFakeTimers();
    live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
  });

  afterEach(() => {
    live.close();
    vi.useRealTimers();
  });

  it('opens with the followed topics and is ready once the socket is open', async () => {
    const seen = listener();
    let ready = false;
    void live.follow(['repo:r1'], seen.listener).ready.then(() => (ready = true));

    const socket = FakeSocket.latest();
    expect(socket.url.searchParams.get('topics')).toBe('repo:r1');
    expect(socket.url.searchParams.has('after')).toBe(false);
    await Promise.resolve();
    expect(ready).toBe(false);

    socket.open();
    await vi.waitFor(() => expect(ready).toBe(true));
    expect(live.connected).toBe(true);
  });

  it('subscribes to a topic added later and is ready only when the host acknowledges it', async () => {
    live.follow(['repo:r1'], listener().listener);
    const socket = FakeSocket.latest();
    socket.open();

    let ready = false;
    void live.follow(['card:c1'], listener().listener).ready.then(() => (ready = true));
    expect(socket.sent).toEqual([{ subscribe: ['card:c1'] }]);
    socket.receive({ type: 'stream.topics', id: null, payload: { topics: ['repo:r1'] } });
    await Promise.resolve();
    expect(ready).toBe(false);

    socket.receive({ type: 'stream.topics', id: null, payload: { topics: ['card:c1', 'repo:r1'] } });
    await vi.waitFor(() => expect(ready).toBe(true));
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('hands events to listeners and resumes after the last id when the connection drops', async () => {
    const seen = listener();
    live.follow(['repo:r1'], seen.listener);
    const first = FakeSocket.latest();
    first.open();
    first.receive({ type: 'card.updated', id: 41, payload: { card: { id: 'c1' } } });
    first.receive({ type: 'card.updated', id: 42, payload: { card: { id: 'c2' } } });

    first.drop();
    expect(live.reconnecting).toBe(true);
    await vi.advanceTimersByTimeAsync(300);

    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    expect(second.url.searchParams.get('after')).toBe('42');
    expect(second.url.searchParams.get('topics')).toBe('repo:r1');
    second.open();
    expect(live.reconnecting).toBe(false);
    expect(seen.events.map((event) => event.id)).toEqual([41, 42]);
    expect(seen.resyncs()).toBe(0);
  });

  it('asks listeners to reload when it reconnects with nothing to resume from, or the host reports a gap', async () => {
    const seen = listener();
    live.follow(['repo:r1'], seen.listener);
    FakeSocket.latest().open();
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.latest().open();
    expect(seen.resyncs()).toBe(1);

    FakeSocket.latest().receive({ type: 'stream.gap', id: null, payload: { requested_after: 3, oldest_available: 90 } });
    expect(seen.resyncs()).toBe(2);
    expect(seen.events).toEqual([]);
  });

  it('unsubscribes a topic nobody follows any more, and closes instead of following nothing', async () => {
    const board = live.follow(['repo:r1'], listener().listener);
    const socket = FakeSocket.latest();
    socket.open();
    const card = live.follow(['card:c1', 'repo:r1'], listener().listener);
    socket.sent = [];

    board.stop();
    expect(socket.sent).toEqual([]);
    card.stop();
    expect(socket.sent).toEqual([{ unsubscribe: ['card:c1', 'repo:r1'] }]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    await vi.advanceTimersByTimeAsync(1500);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('keeps the connection when the next page follows its topics right after the last one left', async () => {
    const board = live.follow(['repo:r1'], listener().listener);
    const socket = FakeSocket.latest();
    socket.open();

    board.stop();
    live.follow(['card:c1'], listener().listener);
    await vi.advanceTimersByTimeAsync(1500);

    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.sent).toEqual([{ unsubscribe: ['repo:r1'] }, { subscribe: ['card:c1'] }]);
  });
});
