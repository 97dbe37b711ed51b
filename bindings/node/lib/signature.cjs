'use strict';
const native = require('../native.cjs');

/**
 * The join signature, `hex(HMAC-SHA256(secret, "client,uuid,streamId"))`. As in the official
 * SDK, `ZM_RTMS_CLIENT` / `ZM_RTMS_SECRET` win over the arguments.
 */
function generateSignature({ client, secret, uuid, streamId } = {}) {
  const clientId = process.env.ZM_RTMS_CLIENT || client;
  const clientSecret = process.env.ZM_RTMS_SECRET || secret;
  if (!clientId) throw new ReferenceError('ZM_RTMS_CLIENT cannot be empty');
  if (!clientSecret) throw new ReferenceError('ZM_RTMS_SECRET cannot be empty');
  return native.generateSignature(String(clientId), String(clientSecret), String(uuid ?? ''), String(streamId ?? ''));
}

module.exports = { generateSignature };
