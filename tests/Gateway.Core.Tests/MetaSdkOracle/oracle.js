'use strict';
// Test oracle: reads [{field, value}] (JSON) on stdin, writes the official SDK's
// ServerSideUtils.normalizeAndHash(value, field) for each entry on stdout, null where it throws.
// The package entry is a single prebuilt bundle (dist/cjs.js); utils.js itself is Flow/ESM source and
// cannot be required directly. Requiring the bundle loads axios but makes no network call.
const { ServerSideUtils } = require('facebook-nodejs-business-sdk');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const entries = JSON.parse(input);
  const out = entries.map(({ field, value }) => {
    try {
      const hash = ServerSideUtils.normalizeAndHash(value, field);
      return hash === undefined ? null : hash;
    } catch (e) {
      return null;
    }
  });
  process.stdout.write(JSON.stringify(out));
});
