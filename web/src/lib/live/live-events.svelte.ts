/** One message of `/ws`: an event (`card.updated`, …) with its id, or a stream message (`stream.*`, id null). */
export interface LiveMessage {
  type: string;
  id: number | null;
  at?: string;
  // The payload's shape depends on the type; each store reads the fields it knows.
  payload: Record<string, unknown>;
}

export interface LiveListener {
  /** An event on one of the followed topics. */
  event(message: LiveMessage): void;
  /** Events may have been missed (a gap in the replay, or a reconnect with nothing to resume from): reload. */
  resync(): void;
}

/** What `follow` gives back: `ready` settles once the host applies the topics, so no later event is missed. */
export interface Following {
  ready: Promise<void>;
  stop(): void;
}

type SocketFactory = (url: string) => WebSocket;

const backoffMs = [250, 500, 1000, 2000, 5000];
// Leaving one page for another drops its topics just before the next page adds its own.
const idleCloseMs = 1000;

/**
 * The board's one connection to `/ws`. Pages follow topics (`repo:ID`, `card:ID`, `execution:ID`);
 * each change is sent as subscribe/unsubscribe and acknowledged by `stream.topics`. After a drop it
 * reconnects with `after=` the last event id seen, so nothing is lost; when that is not possible
 * (a gap, or no event seen yet) listeners are told to reload.
 */
export class LiveEvents {
  /** True while the socket is open. */
  connected = $state(false);
  /** True after a drop, until the connection is back. */
  reconnecting = $state(false);

  #lastId: number | null = null;
  #topics = new Map<string, number>();
  #listeners = new Set<LiveListener>();
  #acks: { topics: string[]; done: () => void }[] = [];
  #opened: (() => void)[] = [];
  #socket: WebSocket | null = null;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #idle: ReturnType<typeof setTimeout> | null = null;
  readonly #url: () => string;
  readonly #open: SocketFactory;

  constructor(url: () => string = defaultUrl, open: SocketFactory = (address) => new WebSocket(address)) {
    this.#url = url;
    this.#open = open;
  }

  /** The id of the last event received, for resuming. */
  get lastId(): number | null {
    return this.#lastId;
  }

  follow(topics: string[], listener: LiveListener): Following {
    this.#listeners.add(listener);
    const added = topics.filter((topic) => {
      const count = this.#topics.get(topic) ?? 0;
      this.#topics.set(topic, count + 1);
      return count === 0;
    });
    if (this.#idle) {
      clearTimeout(this.#idle);
      this.#idle = null;
    }
    const ready = this.#apply(added);
    let stopped = false;
    return {
      ready,
      stop: () => {
        if (stopped) return;
        stopped = true;
        this.#listeners.delete(listener);
        const removed = topics.filter((topic) => {
          const count = (this.#topics.get(topic) ?? 1) - 1;
          if (count > 0) this.#topics.set(topic, count);
          else this.#topics.delete(topic);
          return count <= 0;
        });
        this.#drop(removed);
      },
    };
  }

  /** Closes the connection for good (tests, page unload). */
  close(): void {
    this.#topics.clear();
    this.#listeners.clear();
    this.#shut();
  }

  #apply(added: string[]): Promise<void> {
    const socket = this.#socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      if (added.length === 0) return Promise.resolve();
      return new Promise((done) => {
        this.#acks.push({ topics: added, done });
        socket.send(JSON.stringify({ subscribe: added }));
      });
    }
    // The topics go in the URL of the connection being made; the host follows them before the upgrade completes.
    const opened = new Promise<void>((done) => this.#opened.push(done));
    if (socket && socket.readyState === WebSocket.CONNECTING) {
      // It was opened with the old topics: add the new ones once it is open.
      return opened.then(() => this.#apply(added));
    }
    if (!this.#retry) this.#connect();
    return opened;
  }

  #drop(removed: string[]) {
    if (this.#topics.size === 0) {
      // Following nothing on /ws means following everything: close instead, after a moment (the next page may follow something).
      this.#idle = setTimeout(() => this.#shut(), idleCloseMs);
    }
    if (removed.length > 0 && this.#socket?.readyState === WebSocket.OPEN)
      this.#socket.send(JSON.stringify({ unsubscribe: removed }));
  }

  #connect() {
    this.#retry = null;
    const query = new URLSearchParams({ topics: [...this.#topics.keys()].join(',') });
    const resuming = this.#lastId !== null;
    if (resuming) query.set('after', String(this.#lastId));
    const socket = this.#open(`${this.#url()}?${query}`);
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      const wasReconnect = this.reconnecting;
      this.#attempt = 0;
      this.connected = true;
      this.reconnecting = false;
      // Its URL named every topic, also those whose subscribe the previous socket never acknowledged.
      for (const ack of this.#acks.splice(0)) ack.done();
      for (const done of this.#opened.splice(0)) done();
      // Without an id to resume from, what happened while disconnected is unknown.
      if (wasReconnect && !resuming) for (const listener of [...this.#listeners]) listener.resync();
    };
    socket.onmessage = (message) => {
      if (this.#socket !== socket) return;
      this.#receive(JSON.parse(String(message.data)) as LiveMessage);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.connected = false;
      if (this.#topics.size === 0) return;
      this.reconnecting = true;
      const delay = backoffMs[Math.min(this.#attempt, backoffMs.length - 1)];
      this.#attempt++;
      this.#retry = setTimeout(() => this.#connect(), delay);
    };
  }

  #receive(message: LiveMessage) {
    if (message.type === 'stream.topics') {
      const followed = new Set((message.payload.topics as string[] | undefined) ?? []);
      this.#acks = this.#acks.filter((ack) => {
        if (!ack.topics.every((topic) => followed.has(topic))) return true;
        ack.done();
        return false;
      });
      return;
    }
    if (message.type === 'stream.error') {
      // The host did not understand a message this client sent; nothing changed.
      console.warn('live events:', message.payload.error);
      return;
    }
        if (message.type === 'stream.gap') {
      for (const listener of [...this.#listeners]) listener.resync();
      return;
    }
    if (message.id !== null) this.#lastId = message.id;
    for (const listener of [...this.#listeners]) listener.event(message);
  }

  #shut() {
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#idle) clearTimeout(this.#idle);
    this.#retry = null;
    this.#idle = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#lastId = null;
    this.connected = false;
    this.reconnecting = false;
    for (const ack of this.#acks.splice(0)) ack.done();
    for (const done of this.#opened.splice(0)) done();
    socket?.close();
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
