'use strict';
// Webhooks over node:http: `createWebhookHandler` for an existing server and `onWebhookEvent`
// (its own server on ZM_RTMS_PORT / ZM_RTMS_PATH). How a request is answered (URL validation,
// signature check over the raw body, bad bodies) is decided by the core (`webhookAnswer`).
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const native = require('../native.cjs');

const JSON_HEADERS = { 'Content-Type': 'application/json' };
let server = null;

function rawBody(req) {
  if (Buffer.isBuffer(req.rawBody)) return Promise.resolve(req.rawBody);
  if (req.body !== undefined) {
    const b = req.body;
    if (Buffer.isBuffer(b)) return Promise.resolve(b);
    return Promise.resolve(Buffer.from(typeof b === 'string' ? b : JSON.stringify(b)));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerMap(req) {
  const out = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function send(res, status, body) {
  if (res.headersSent) return;
  res.writeHead(status, JSON_HEADERS);
  res.end(body);
}

/**
 * A `(req, res)` handler for Zoom webhooks at `path`. Simple callbacks (`(payload)`) get
 * `200 {"status":"ok"}` sent for them; raw callbacks (`(payload, req, res)`) answer themselves.
 * With a secret (`options.secret` or `ZM_RTMS_WEBHOOK_SECRET`), signatures are verified over the
 * raw body and `endpoint.url_validation` is answered.
 */
function createWebhookHandler(callback, path = '/', options = {}) {
  if (typeof callback !== 'function') throw new TypeError('Function argument expected');
  const raw = callback.length >= 3;
  return (req, res) => {
    const pathname = (req.url || '').split('?')[0];
    if (req.method !== 'POST' || (pathname !== path && req.url !== path)) {
      send(res, 404, JSON.stringify({ error: 'Not Found' }));
      return;
    }
    rawBody(req).then(
      (body) => {
        const secret = options.secret ?? process.env.ZM_RTMS_WEBHOOK_SECRET;
        const answer = native.webhookAnswer(secret || undefined, headerMap(req), body, options.maxSkewSecs);
        if (!answer.deliver) {
          send(res, answer.status, answer.body);
          return;
        }
        let payload;
        try {
          payload = JSON.parse(body.toString('utf8'));
        } catch {
          send(res, 400, JSON.stringify({ error: 'Invalid JSON received' }));
          return;
        }
        if (!raw) send(res, 200, answer.body);
        process.nextTick(() => {
          try {
            if (raw) callback(payload, req, res);
            else callback(payload);
          } catch (err) {
            console.error(`rtms: error in webhook callback: ${err instanceof Error ? err.message : err}`);
            if (raw) send(res, 500, JSON.stringify({ error: 'Internal Server Error' }));
          }
        });
      },
      () => send(res, 400, JSON.stringify({ error: 'Invalid request body' })),
    );
  };
}

/**
 * Starts the webhook server (HTTPS when ZM_RTMS_CERT and ZM_RTMS_KEY exist) on ZM_RTMS_PORT
 * (8080) at ZM_RTMS_PATH (`/`). Returns the server (the official SDK returns nothing).
 */
function onWebhookEvent(callback) {
  if (server?.listening) {
    console.warn('rtms: webhook server is already running');
    return server;
  }
  const port = parseInt(process.env.ZM_RTMS_PORT || '8080', 10);
  const path = process.env.ZM_RTMS_PATH || '/';
  const certPath = process.env.ZM_RTMS_CERT || '';
  const keyPath = process.env.ZM_RTMS_KEY || '';
  const caPath = process.env.ZM_RTMS_CA_WEBHOOK || '';
  const hasCert = Boolean(certPath) && fs.existsSync(certPath);
  const hasKey = Boolean(keyPath) && fs.existsSync(keyPath);
  if (hasCert !== hasKey) throw new Error('Both certificate and key must be provided for HTTPS');
  const handler = createWebhookHandler(callback, path);
  if (hasCert) {
    const opts = { cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) };
    if (caPath && fs.existsSync(caPath)) Object.assign(opts, { ca: fs.readFileSync(caPath), requestCert: true, rejectUnauthorized: true });
    server = https.createServer(opts, handler);
  } else {
    server = http.createServer(handler);
  }
  server.on('error', (err) => console.error(`rtms: webhook server error: ${err.message}`));
  server.listen(port);
  return server;
}

module.exports = { createWebhookHandler, onWebhookEvent };
