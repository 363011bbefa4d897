import { call, everyPage, num, type Api, type Schemas } from '../api/client';
import { ApiError, messageOf, sentence } from '../api/problem';
import { sendAs } from '../api/requests';
import type { LiveEvents, LiveMessage } from '../live/live-events.svelte';
import { columns, describeAllowed, moveRequest, statusTitle, type CardStatus } from './card-moves';

export interface Blocker {
  id: string;
  title: string;
  status: string;
}

/** A card as the board draws it. */
export interface BoardCard {
  id: string;
  repoId: string;
  title: string;
  status: CardStatus;
  stepType: string;
  branch: string | null;
  position: number;
  requires: string[];
  blockedBy: Blocker[];
  costUsd: number;
  createdAt: string;
  updatedAt: string;
}

/** A card as the list or a card endpoint answers it. */
type Listed = Schemas['CardSummary'] | Schemas['CardResponse'];

/** The card fields an event carries (`card.created`, `card.updated`). */
interface Snapshot {
  id: string;
  repo_id: string;
  title: string;
  status: CardStatus;
  step_type: string;
  branch_name: string | null;
  position: number;
  updated_at: string;
}

function fromListed(card: Listed): BoardCard {
  return {
    id: card.id,
    repoId: card.repo_id,
    title: card.title,
    status: card.status,
    stepType: card.step_type,
    branch: card.branch_name,
    position: num(card.position),
    requires: card.requires,
    blockedBy: card.blocked_by,
    costUsd: num(card.cost_usd),
    createdAt: card.created_at,
    updatedAt: card.updated_at,
  };
}

/** Every word of the query must appear in the card's title, branch, step type, labels or id. */
export function matches(card: BoardCard, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [card.title, card.branch ?? '', card.stepType, card.id, ...card.requires].join(' ').toLowerCase();
  return words.every((word) => text.includes(word));
}

/**
 * One repo's board: its cards as the host last said (loaded, then kept current by `/ws`), moves in
 * flight drawn where they are going, and the reason the last refused move was refused.
 */
export class BoardStore {
  /**
   * The host's view of each card, by id. Raw (not deeply reactive) and replaced on each change:
   * a board of a thousand cards redraws a changed card without proxying every field of every card.
   */
  cards = $state.raw<Record<string, BoardCard>>({});
  /** Moves sent and not yet answered: the card is drawn in the column it is going to. */
  pending = $state.raw<Record<string, CardStatus>>({});
  query = $state('');
  loading = $state(true);
  error = $state<string | null>(null);
  /** Why the last move was refused; the card is back where it was. */
  refusal = $state<{ cardId: string; message: string } | null>(null);

  visible = $derived(Object.values(this.cards).filter((card) => matches(card, this.query)));

  byColumn = $derived.by(() => {
    const grouped = Object.fromEntries(columns.map((column) => [column.status, [] as BoardCard[]])) as Record<CardStatus, BoardCard[]>;
    for (const card of this.visible) grouped[this.statusOf(card.id)]?.push(card);
    for (const list of Object.values(grouped))
      list.sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt));
    return grouped;
  });

  total = $derived(Object.keys(this.cards).length);

  readonly repoId: string;
  readonly #api: Api;
  #arriving: LiveMessage[][] = [];

  constructor(api: Api, repoId: string) {
    this.#api = api;
    this.repoId = repoId;
  }

  /** Where the card is drawn: where it is going while a move is in flight. */
  statusOf(id: string): CardStatus {
    return this.pending[id] ?? this.cards[id]?.status ?? 'todo';
  }

  /** The blockers not done yet, with their status as the board knows it now. */
  openBlockers(card: BoardCard): Blocker[] {
    return card.blockedBy
      .map((blocker) => ({ ...blocker, status: this.cards[blocker.id]?.status ?? blocker.status }))
      .filter((blocker) => blocker.status !== 'done');
  }

  /** Follows the repo on `/ws`, then loads its cards: nothing that happens after the load is missed. */
  connect(live: LiveEvents): () => void {
    const following = live.follow([`repo:${this.repoId}`], {
      event: (message) => this.apply(message),
      resync: () => void this.load(),
    });
    void following.ready.then(() => this.load());
    return following.stop;
  }

  async load() {
    // Events that arrive while the list is on its way may be newer than it: they are applied again on top of it, in order.
    const during: LiveMessage[] = [];
    this.#arriving.push(during);
    try {
      const listed = await everyPage((cursor) =>
        this.#api.GET('/api/repos/{repoId}/cards', { params: { path: { repoId: this.repoId }, query: { cursor } } }),
      );
      this.cards = Object.fromEntries(listed.map((card) => [card.id, fromListed(card)]));
      for (const message of during) this.#apply(message);
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.#arriving.splice(this.#arriving.indexOf(during), 1);
      this.loading = false;
    }
  }

  /** Applies a live event of this repo. */
  apply(message: LiveMessage) {
    for (const during of this.#arriving) during.push(message);
    this.#apply(message);
  }

  #apply(message: LiveMessage) {
    if (message.type === 'card.deleted') {
      const payload = message.payload as { card_id: string; repo_id: string };
      if (payload.repo_id === this.repoId) this.#remove(payload.card_id);
      return;
    }
    if (message.type !== 'card.created' && message.type !== 'card.updated') return;
    const snapshot = (message.payload as { card: Snapshot }).card;
    if (snapshot.repo_id !== this.repoId) return;
    const known = this.cards[snapshot.id];
    if (known && known.updatedAt > snapshot.updated_at) return;
    this.#set({
      id: snapshot.id,
      repoId: snapshot.repo_id,
      title: snapshot.title,
      status: snapshot.status,
      stepType: snapshot.step_type,
      branch: snapshot.branch_name,
      position: num(snapshot.position),
      requires: known?.requires ?? [],
      blockedBy: known?.blockedBy ?? [],
      costUsd: known?.costUsd ?? 0,
      createdAt: known?.createdAt ?? snapshot.updated_at,
      updatedAt: snapshot.updated_at,
    });
    // A finished attempt changes the cost, which events do not carry.
    if (known && known.status !== snapshot.status && (known.status === 'in_progress' || snapshot.status === 'done')) void this.#refresh(snapshot.id);
  }

  /** Adds a card the board just made (the event will say the same). */
  put(card: Schemas['CardResponse']) {
    const fresh = fromListed(card);
    const known = this.cards[card.id];
    if (!known || known.updatedAt <= fresh.updatedAt) this.#set(fresh);
  }

  /**
   * Asks the host to move a card: the card is drawn in `to` at once; if the host refuses, it goes
   * back and `refusal` says why, from the host's answer.
   */
  async move(id: string, to: CardStatus): Promise<boolean> {
    const card = this.cards[id];
    if (!card || this.pending[id] || card.status === to) return false;
    this.pending = { ...this.pending, [id]: to };
    this.refusal = null;
    try {
      this.put(await this.#send(card, to));
      return true;
    } catch (error) {
      this.refusal = { cardId: id, message: refusalOf(card, to, error) };
      return false;
    } finally {
      const { [id]: _settled, ...rest } = this.pending;
      this.pending = rest;
    }
  }

  #set(card: BoardCard) {
    this.cards = { ...this.cards, [card.id]: card };
  }

  #remove(id: string) {
    const { [id]: _gone, ...rest } = this.cards;
    this.cards = rest;
  }

  #send(card: BoardCard, to: CardStatus): Promise<Schemas['CardResponse']> {
    const path = { params: { path: { id: card.id } } };
    switch (moveRequest(card.status, to)) {
      case 'start':
        return call(this.#api.POST('/api/cards/{id}/start', path));
      case 'retry':
        return call(this.#api.POST('/api/cards/{id}/retry', path));
      case 'approve':
        return call(this.#api.POST('/api/cards/{id}/approve', { ...path, body: sendAs({}) }));
      case 'reject':
        return call(this.#api.POST('/api/cards/{id}/reject', { ...path, body: sendAs({}) }));
      case 'set-status':
        return call(this.#api.PATCH('/api/cards/{id}', { ...path, body: sendAs({ status: to }) }));
    }
  }

  async #refresh(id: string) {
    try {
      this.put(await call(this.#api.GET('/api/cards/{id}', { params: { path: { id } } })));
    } catch {
      // The next event or load brings it; a card deleted meanwhile is no error.
    }
  }
}

/** "Cannot move “Add login” to Done: <the host's reason> It can: Approve → Done, Reject → To Do." */
export function refusalOf(card: BoardCard, to: CardStatus, error: unknown): string {
  const why = error instanceof ApiError ? sentence(error.problem) : messageOf(error);
  const instead = error instanceof ApiError ? describeAllowed(error.problem.allowed) : '';
  const options = error instanceof ApiError && error.problem.allowed ? (instead ? ` From ${statusTitle(card.status)} it can: ${instead}.` : ` Nothing can move it from ${statusTitle(card.status)}.`) : '';
  return `Cannot move “${card.title}” to ${statusTitle(to)}: ${why}${options}`;
}
