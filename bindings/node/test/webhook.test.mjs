// Webhooks: onWebhookEvent (both callback forms), URL validation, signatures checked by the
// core over the raw body, and createWebhookHandler behind node:http.
import './setup.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { once as eventOnce } from 'node:events';
import rtms from '../index.js';

const SECRET = 'webhook-secret';
const started = { event: 'meeting.rtms_started', event_ts: 1, payload: { meeting_uuid: 'm==', rtms_stream_id: 's', server_urls: 'ws://127.0.0.1:1' } };

function sign(body, secret = SECRET, ts = Math.floor(Date.now() / 1000)) {
  const sig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-zm-signature': sig, 'x-zm-request-timestamp': String(ts) };
}

async function post(port, path, body, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function withEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

test('onWebhookEvent: payload-only form, URL validation and a rejected bad signature', async () => {
  const got = [];
  const server = await withEnv({ ZM_RTMS_PORT: '0', ZM_RTMS_PATH: '/zoom', ZM_RTMS_WEBHOOK_SECRET: SECRET }, async () => {
    const s = rtms.onWebhookEvent((payload) => got.push(payload));
    await eventOnce(s, 'listening');
    return s;
  });
  const { port } = server.address();
  process.env.ZM_RTMS_WEBHOOK_SECRET = SECRET;
  try {
    const body = JSON.stringify(started);
    assert.deepEqual(await post(port, '/zoom', body, sign(body)), { status: 200, json: { status: 'ok' } });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, [started]);

    const bad = await post(port, '/zoom', body, sign(body, 'not-the-secret'));
    assert.equal(bad.status, 401);
    assert.equal(got.length, 1, 'a bad signature never reaches the callback');

    const validation = JSON.stringify({ event: 'endpoint.url_validation', event_ts: 2, payload: { plainToken: 'abc123' } });
    const v = await post(port, '/zoom', validation, sign(validation));
    assert.equal(v.status, 200);
    assert.equal(v.json.plainToken, 'abc123');
    assert.equal(v.json.encryptedToken, createHmac('sha256', SECRET).update('abc123').digest('hex'));
    assert.equal(got.length, 1, 'URL validation is answered, not delivered');

    assert.equal((await post(port, '/elsewhere', body, sign(body))).status, 404);
    assert.equal((await post(port, '/zoom', 'not json', sign('not json'))).status, 400);
  } finally {
    delete process.env.ZM_RTMS_WEBHOOK_SECRET;
    server.close();
  }
});

test('createWebhookHandler behind node:http: raw (payload, req, res) form and pre-parsed bodies', async () => {
  const seen = [];
  const handler = rtms.createWebhookHandler((payload, req, res) => {
    seen.push([payload.event, req.headers['x-test']]);
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ mine: true }));
  }, '/hook');
  const simple = rtms.createWebhookHandler(() => {}, '/parsed');
  const server = http.createServer((req, res) => {
    if (req.url === '/parsed') {
      // Middleware such as express.json() already parsed the body.
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        req.body = JSON.parse(text);
        simple(req, res);
      });
      return;
    }
    if (req.url === '/health') return res.end('ok');
    handler(req, res);
  });
  server.listen(0);
  await eventOnce(server, 'listening');
  const { port } = server.address();
  try {
    const body = JSON.stringify(started);
    assert.deepEqual(await post(port, '/hook', body, { 'x-test': 'yes' }), { status: 202, json: { mine: true } });
    assert.deepEqual(seen, [['meeting.rtms_started', 'yes']]);
    assert.deepEqual(await post(port, '/parsed', body), { status: 200, json: { status: 'ok' } });
    const noEvent = await post(port, '/hook', JSON.stringify({ payload: {} }));
    assert.equal(noEvent.status, 400);
    const validation = await post(port, '/hook', JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 't' } }));
    assert.equal(validation.status, 400, 'URL validation needs a secret');
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  } finally {
    server.close();
  }
});
