import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

/** How the terminal ended: the shell exited with a code, or the host closed it saying why. */
export type TerminalEnd = { type: 'exit'; code: number } | { type: 'closed'; reason: string };

export interface TerminalHandle {
  /** Fits the terminal to its element and tells the host the new size. */
  fit(): void;
  close(): void;
}

/**
 * An xterm.js terminal in `element`, connected to a debug session's terminal WebSocket. The host sends the shell's
 * output as binary frames and one JSON text frame at the end; the board sends `{"type":"input"}` and
 * `{"type":"resize"}` text frames. `address` is asked once the terminal knows its size (the socket starts with it).
 */
export async function openTerminal(
  element: HTMLElement,
  address: (cols: number, rows: number) => Promise<string>,
  events: { opened: () => void; ended: (end: TerminalEnd) => void },
): Promise<TerminalHandle> {
  const styles = getComputedStyle(element);
  const terminal = new Terminal({
    convertEol: false,
    cursorBlink: true,
    fontSize: 13,
    fontFamily: styles.getPropertyValue('--mono').trim() || 'monospace',
    screenReaderMode: true,
  });
  const fitting = new FitAddon();
  terminal.loadAddon(fitting);
  terminal.open(element);
  fitting.fit();

  const socket = new WebSocket(await address(terminal.cols, terminal.rows));
  socket.binaryType = 'arraybuffer';
  const send = (frame: object) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };
  let ended = false;
  socket.onopen = () => {
    events.opened();
    terminal.focus();
  };
  socket.onmessage = (message) => {
    if (message.data instanceof ArrayBuffer) {
      terminal.write(new Uint8Array(message.data));
      return;
    }
    ended = true;
    events.ended(JSON.parse(message.data as string) as TerminalEnd);
  };
  socket.onclose = (close) => {
    if (!ended) events.ended({ type: 'closed', reason: close.reason || 'the terminal closed' });
  };
  const input = terminal.onData((data) => send({ type: 'input', data }));
  const resized = terminal.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows }));
  const observer = new ResizeObserver(() => fitting.fit());
  observer.observe(element);

  return {
    fit: () => fitting.fit(),
    close: () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      ended = true;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close();
      terminal.dispose();
    },
  };
}
