// What a page from another origin can do to LazyAF, in real headless Chromium.
// Usage: node cross-origin.mjs PLAN.json  — prints one JSON object of what happened.
// The plan: { host, attackerPage, loginUrl?, subscribeTopic, writes: [{url, kind}], ws, rebound? }.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
if (plan.rebound) {
  // A DNS-rebinding page: its own name resolves to the host's loopback address.
  args.push(`--host-resolver-rules=MAP ${new URL(plan.rebound).hostname} 127.0.0.1`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const result = {};
try {
  const context = await browser.newContext();

  if (plan.loginUrl) {
    // The owner opens the login link the host printed, then the board's own origin shows what a session can do.
    const board = await context.newPage();
    await board.goto(plan.loginUrl);
    result.cookies = (await context.cookies(plan.host)).map(c => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }));
    result.own = await board.evaluate(async (topic) => {
      const me = await fetch('/api/me');
      const ws = await new Promise(resolve => {
        const socket = new WebSocket(`ws://${location.host}/ws`);
        socket.onopen = () => socket.send(JSON.stringify({ subscribe: [topic] }));
        socket.onmessage = m => { resolve(JSON.parse(m.data).type); socket.close(); };
        socket.onerror = () => resolve('error');
      });
      return { me: me.status, user: me.ok ? (await me.json()).user : null, ws };
    }, plan.subscribeTopic);
  }

  const page = await context.newPage();
  await page.goto(plan.attackerPage);
  result.attack = await page.evaluate(async (plan) => {
    const outcomes = [];
    for (const write of plan.writes) {
      try {
        if (write.kind === 'form') {
          // A form posted into a hidden frame: the response loads there, out of the page's sight.
          await new Promise(resolve => {
            const frame = document.createElement('iframe');
            frame.name = `f${outcomes.length}`;
            frame.onload = resolve;
            document.body.appendChild(frame);
            const form = document.createElement('form');
            form.method = 'POST';
            form.action = write.url;
            form.target = frame.name;
            const field = document.createElement('input');
            field.name = 'title';
            field.value = 'from a form';
            form.appendChild(field);
            document.body.appendChild(form);
            form.submit();
          });
          outcomes.push({ url: write.url, kind: write.kind, sent: true });
        } else {
          const init = { method: 'POST', mode: 'no-cors', credentials: 'include' };
          if (write.kind === 'text') {
            init.headers = { 'Content-Type': 'text/plain' };
            init.body = write.body;
          }
          const response = await fetch(write.url, init);
          outcomes.push({ url: write.url, kind: write.kind, sent: true, type: response.type });
        }
      } catch (error) {
        outcomes.push({ url: write.url, kind: write.kind, sent: false, error: String(error) });
      }
    }
    const ws = await new Promise(resolve => {
      const events = [];
      const socket = new WebSocket(plan.ws);
      socket.onopen = () => { events.push('open'); socket.send(JSON.stringify({ subscribe: [plan.subscribeTopic] })); };
      socket.onmessage = m => { events.push('message:' + m.data); socket.close(); };
      socket.onerror = () => events.push('error');
      socket.onclose = () => { events.push('close'); resolve(events); };
    });
    return { outcomes, ws };
  }, plan);

  if (plan.rebound) {
    const rebound = await context.newPage();
    const response = await rebound.goto(plan.rebound);
    result.rebound = { status: response.status() };
    result.rebound.post = await rebound.evaluate(async (url) => (await fetch(url, { method: 'POST' })).status, plan.reboundWrite);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
