import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import NewCardDialog from '../../src/lib/board/new-card-dialog.svelte';
import { cardResponse, fakeApi } from './fakes';

const agents = [
  { kind: 'claude-code', available: true, path: '/usr/bin/claude', version: '2.1.328', models: ['sonnet', 'opus'], runner: 'local' },
  { kind: 'command', available: true, path: '/usr/bin/bash', version: null, models: [], runner: 'local' },
  { kind: 'gemini', available: false, path: null, version: null, models: ['gemini-2.5-pro'], runner: 'local' },
];

function renderDialog(route: Parameters<typeof fakeApi>[0]) {
  const { api, requests } = fakeApi((request) => (request.path === '/api/agents' ? { status: 200, body: agents } : route(request)));
  const onCreated = vi.fn();
  const onClose = vi.fn();
  render(NewCardDialog, { api, repoId: 'r1', open: true, onClose, onCreated });
  return { requests, onCreated, onClose };
}

describe('new card dialog', () => {
  it('shows the host’s field errors beside their fields and its sentence on top', async () => {
    const { onCreated } = renderDialog(() => ({
      status: 400,
      body: {
        title: 'The request is invalid',
        status: 400,
        detail: 'title is required. step_config.command is required for a script step.',
        errors: { title: ['title is required.'], 'step_config.command': ['step_config.command is required for a script step.'] },
      },
    }));

    await fireEvent.click(screen.getByRole('button', { name: 'Create card' }));

    expect((await screen.findByRole('alert')).textContent).toBe('title is required. step_config.command is required for a script step.');
    const command = screen.getByLabelText('Command');
    expect(command.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(command.getAttribute('aria-describedby')!)?.textContent).toBe('step_config.command is required for a script step.');
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('sends a docker step with its image and command', async () => {
    const { requests, onCreated, onClose } = renderDialog(() => ({ status: 201, body: cardResponse({ step_type: 'docker' }) }));
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Build' } });
    await fireEvent.click(screen.getByRole('radio', { name: /Container/ }));
    await fireEvent.input(screen.getByLabelText('Image'), { target: { value: 'node:22' } });
    await fireEvent.input(screen.getByLabelText('Command'), { target: { value: 'npm ci && npm test' } });
    await fireEvent.input(screen.getByLabelText('Timeout (seconds)'), { target: { value: '600' } });
    await fireEvent.click(screen.getByLabelText(/Commit what it changes/));
    await fireEvent.click(screen.getByRole('button', { name: 'Create card' }));

    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(onClose).toHaveBeenCalled();
    expect(requests.find((request) => request.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/repos/r1/cards',
      body: {
        title: 'Build',
        description: '',
        step_type: 'docker',
        step_config: { image: 'node:22', command: 'npm ci && npm test', commit: true, timeout_seconds: 600 },
        auto_start: false,
      },
    });
  });

  it('picks an agent from the host’s agents with its models, and asks for a command only for the command agent', async () => {
    const { requests, onCreated } = renderDialog(() => ({ status: 201, body: cardResponse({ step_type: 'agent' }) }));
    await fireEvent.click(screen.getByRole('radio', { name: /Agent/ }));

    const agent = (await screen.findByLabelText('Agent')) as HTMLSelectElement;
    await waitFor(() => expect(agent.options.length).toBe(3));
    expect([...agent.options].map((option) => option.textContent)).toEqual(['claude-code 2.1.328', 'command', 'gemini (not installed)']);
    expect(agent.value).toBe('claude-code');
    expect([...(screen.getByLabelText('Model') as HTMLSelectElement).options].map((option) => option.value)).toEqual(['', 'sonnet', 'opus']);
    expect(screen.queryByLabelText('Command')).toBeNull();

    await fireEvent.change(agent, { target: { value: 'command' } });
    expect(screen.getByLabelText('Command')).toBeTruthy();
    expect(screen.queryByLabelText('Model')).toBeNull();

    await fireEvent.change(agent, { target: { value: 'claude-code' } });
    await fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'opus' } });
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Add login' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create card' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(requests.find((request) => request.method === 'POST')?.body).toMatchObject({ step_type: 'agent', step_config: { agent: 'claude-code', model: 'opus' } });
  });
});
