import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import CardTile from '../../src/lib/board/card-tile.svelte';
import type { BoardCard } from '../../src/lib/board/board-store.svelte';

const card: BoardCard = {
  id: 'c1',
  repoId: 'r1',
  title: 'Add a --json flag',
  status: 'todo',
  stepType: 'agent',
  branch: 'lazyaf/card-c1',
  position: 0,
  requires: [],
  blockedBy: [],
  costUsd: 0.4271,
  createdAt: '2026-12-01T10:00:00+00:00',
  updatedAt: '2026-12-01T10:00:00+00:00',
};

function renderTile(overrides: Partial<Parameters<typeof render<typeof CardTile>>[1] & object> = {}) {
  const onMove = vi.fn();
  render(CardTile, {
    card,
    status: 'todo',
    blockers: [],
    moving: false,
    refused: null,
    onMove,
    onDragStart: vi.fn(),
    ...overrides,
  });
  return { onMove };
}

describe('card tile', () => {
  it('shows the title as a link to the card, its status, step, branch and cost', () => {
    renderTile();
    expect(screen.getByRole('link', { name: 'Add a --json flag' }).getAttribute('href')).toBe('/cards/c1');
    const tile = screen.getByRole('article', { name: 'Add a --json flag' });
    expect(tile.textContent).toContain('To Do');
    expect(tile.textContent).toContain('agent');
    expect(tile.textContent).toContain('lazyaf/card-c1');
    expect(tile.textContent).toContain('$0.43');
  });

  it('names its open blockers, each a link', () => {
    renderTile({ blockers: [{ id: 'c0', title: 'Schema first', status: 'in_progress' }] });
    expect(screen.getByText(/Blocked by/).textContent).toContain('Schema first');
    expect(screen.getByRole('link', { name: 'Schema first' }).getAttribute('href')).toBe('/cards/c0');
  });

  it('moves from its labelled menu, which offers every other column', async () => {
    const { onMove } = renderTile();
    const menu = screen.getByLabelText('Move “Add a --json flag” to') as HTMLSelectElement;
    expect([...menu.options].map((option) => option.textContent)).toEqual(['Move to…', 'In Progress', 'In Review', 'Done', 'Failed']);
    await fireEvent.change(menu, { target: { value: 'in_progress' } });
    expect(onMove).toHaveBeenCalledWith('in_progress');
    expect(menu.value).toBe('');
  });

  it('says why its last move was refused, and is busy while one is in flight', () => {
    renderTile({ refused: 'Cannot move “Add a --json flag” to Done: no.', moving: true });
    expect(screen.getByRole('alert').textContent).toBe('Cannot move “Add a --json flag” to Done: no.');
    expect(screen.getByRole('article').getAttribute('aria-busy')).toBe('true');
    expect((screen.getByLabelText('Move “Add a --json flag” to') as HTMLSelectElement).disabled).toBe(true);
  });
});
