// Real-Chromium tests for wwwroot-assets/gateway.js. Run: npm ci && node --test
// A site server (page + /assets/gateway.js) and a fake gateway on a second origin (another port,
// so every collect call is cross-origin and CORS rules apply exactly as in production).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const GATEWAY_JS = new URL('../gateway.js', import.meta.url);
const KEY = 'gb_test_browser_key';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const pages = new Map();
const hits = [];
// What the fake gateway answers to GET /api/v1/collect/names (the snippet's pixel names); a test may set it.
let namesReply = '{}';
let site, gw, siteOrigin, gwOrigin, browser;

function listen(handler) {
  return new Promise(resolve => {
    const s = http.createServer(handler);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}
const originOf = s => `http://127.0.0.1:${s.address().port}`;

before(async () => {
  site = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/assets/gateway.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(readFileSync(GATEWAY_JS));
    }
    const html = url.pathname.startsWith('/p/') ? pages.get(url.pathname.slice(3)) : '<!doctype html><title>elsewhere</title>';
    res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html || 'not found');
  });
  // Fake collect endpoint: records everything (including any preflight) and answers with the CORS
  // headers the real gateway sends for an allowed site origin.
  gw = await listen((req, res) => {
    let body = '';
    req.on('data', c => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      hits.push({ method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, raw: body, body: safeJson(body) });
      const cors = { 'Access-Control-Allow-Origin': siteOrigin, Vary: 'Origin' };
      if (req.method === 'GET' && url.pathname === '/api/v1/collect/names') {
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
        return res.end(namesReply);
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' });
        return res.end();
      }
      res.writeHead(202, { ...cors, 'Content-Type': 'application/json' });
      res.end('{"status":"accepted"}');
    });
  });
  siteOrigin = originOf(site);
  gwOrigin = originOf(gw);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  site?.close();
  gw?.close();
});

function safeJson(s) {
  try { return JSON.parse(s); } catch { return undefined; }
}

// Stubbed pixels record what the snippet hands them.
const PIXEL_STUBS = `<script>
  window.calls = [];
  window.ttq = { track: function (n, p, o) { calls.push(['ttq', n, p, o]); } };
  window.fbq = function () { calls.push(['fbq'].concat([].slice.call(arguments))); };
</script>`;
// The install stub exactly as documented at the top of gateway.js.
const INSTALL_STUB = readFileSync(GATEWAY_JS, 'utf8').split('\n').find(l => l.startsWith(' * !function')).slice(3);

let n = 0;
function makePage({ head = '', attrs, after: tail = '' } = {}) {
  const name = `t${++n}`;
  const a = attrs ?? `data-endpoint="${gwOrigin}" data-key="${KEY}"`;
  pages.set(name, `<!doctype html><html><head><meta charset="utf-8">${head}
<script async src="/assets/gateway.js" ${a}></script>${tail}</head><body>test</body></html>`);
  return `${siteOrigin}/p/${name}`;
}

async function open(url, { init } = {}) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [], logs = [];
  page.on('pageerror', e => errors.push(e));
  page.on('console', m => logs.push(m.text()));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForFunction(() => window.ConversionsGateway && window.ConversionsGateway.loaded === true);
  return { ctx, page, errors, logs, close: () => ctx.close() };
}

async function waitFor(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}
const hitFor = id => waitFor(() => hits.find(h => h.method === 'POST' && h.body?.event_id === id), `collect of ${id}`);
const cookieJar = async ctx => Object.fromEntries((await ctx.cookies()).map(c => [c.name, c]));
const track = (page, ...args) => page.evaluate(a => window.ConversionsGateway.track(...a), args);

test('click ids and browser ids land in first-party cookies in the platforms\' formats', async () => {
  const url = makePage() + '?ttclid=TTc1ick-1&fbclid=IwAR0fb_click-1';
  const t0 = Date.now();
  const b = await open(url);
  try {
    let jar = await cookieJar(b.ctx);
    const nowS = Date.now() / 1000;
    assert.equal(jar.ttclid.value, 'TTc1ick-1');
    const fbc = jar._fbc.value.match(/^fb\.1\.(\d{13})\.IwAR0fb_click-1$/);
    assert.ok(fbc, `_fbc format: ${jar._fbc.value}`);
    assert.ok(+fbc[1] >= t0 && +fbc[1] <= Date.now(), '_fbc carries the click time in ms');
    assert.match(jar._fbp.value, /^fb\.1\.\d{13}\.\d{10}$/);
    for (const [name, days] of [['ttclid', 30], ['_fbc', 90], ['_fbp', 90]]) {
      const c = jar[name];
      assert.ok(Math.abs(c.expires - (nowS + days * 86400)) < 120, `${name} max-age ${days} days`);
      assert.equal(c.sameSite, 'Lax');
      assert.equal(c.path, '/');
      assert.equal(c.secure, false, 'Secure is only added on https');
      assert.equal(c.domain, '127.0.0.1');
    }

    // Same fbclid again (reload): _fbc and _fbp keep their first values.
    await new Promise(r => setTimeout(r, 20));
    await b.page.reload();
    await b.page.waitForFunction(() => window.ConversionsGateway && window.ConversionsGateway.loaded);
    const again = await cookieJar(b.ctx);
    assert.equal(again._fbc.value, jar._fbc.value);
    assert.equal(again._fbp.value, jar._fbp.value);

    // A new fbclid replaces _fbc; TikTok's own _ttp cookie is reused as ttp.
    await b.ctx.addCookies([{ name: '_ttp', value: 'ttp-from-pixel', url: siteOrigin }]);
    await b.page.goto(makePage() + '?fbclid=second_click');
    await b.page.waitForFunction(() => window.ConversionsGateway && window.ConversionsGateway.loaded);
    jar = await cookieJar(b.ctx);
    assert.match(jar._fbc.value, /^fb\.1\.\d{13}\.second_click$/);
    const id = await track(b.page, 'ViewContent');
    const { body } = await hitFor(id);
    assert.deepEqual(
      { ttclid: body.user_data.ttclid, ttp: body.user_data.ttp, fbc: body.user_data.fbc, fbp: body.user_data.fbp },
      { ttclid: 'TTc1ick-1', ttp: 'ttp-from-pixel', fbc: jar._fbc.value, fbp: jar._fbp.value });
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('track() posts one unified-schema event as a CORS simple request and gives the pixels the same event_id', async () => {
  const url = makePage({ head: PIXEL_STUBS, attrs: `data-endpoint="${gwOrigin}/" data-key="${KEY}" data-debug` }) + '?ttclid=tt-abc#frag';
  const b = await open(url);
  try {
    const t0 = Math.floor(Date.now() / 1000);
    const custom = { value: 12.5, currency: 'EUR', contents: [{ id: 'sku-1', quantity: 2, item_price: 6.25 }] };
    const userData = { email: 'Jane.Doe@Example.com', phone: '+33 6 12 34 56 78' };
    const id = await track(b.page, 'Purchase', custom, { user_data: userData });
    assert.match(id, UUID_V4);
    const hit = await hitFor(id);
    const t1 = Math.ceil(Date.now() / 1000);

    assert.equal(hit.path, '/api/v1/collect', 'trailing slash on endpoint is trimmed');
    assert.equal(hit.query.get('key'), KEY);
    assert.equal(hit.headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(hit.headers.origin, siteOrigin);
    assert.equal(hit.headers['sec-fetch-mode'], 'cors');
    assert.equal(hit.headers.cookie, undefined, 'credentials omitted');
    assert.equal(hits.filter(h => h.method === 'OPTIONS').length, 0, 'no preflight');

    const ua = await b.page.evaluate(() => navigator.userAgent);
    const { body } = hit;
    assert.deepEqual(Object.keys(body).sort(), ['action_source', 'custom_data', 'event_id', 'event_name', 'event_source_url',
      'event_time', 'referrer', 'source', 'user_data'], 'no consent key when nothing is known');
    assert.equal(body.event_name, 'Purchase');
    assert.equal(body.event_id, id);
    assert.ok(Number.isInteger(body.event_time) && body.event_time >= t0 && body.event_time <= t1, 'unix seconds');
    assert.equal(body.action_source, 'website');
    assert.equal(body.event_source_url, url);
    assert.equal(body.referrer, '');
    assert.equal(body.source, 'browser');
    assert.deepEqual(body.custom_data, custom);
    const { fbp, ...rest } = body.user_data;
    assert.match(fbp, /^fb\.1\.\d{13}\.\d{10}$/);
    assert.deepEqual(rest, { client_user_agent: ua, ttclid: 'tt-abc', ...userData });

    const calls = await waitFor(async () => { const c = await b.page.evaluate(() => window.calls); return c.length >= 2 && c; }, 'pixel calls');
    assert.deepEqual(calls, [['ttq', 'Purchase', custom, { event_id: id }], ['fbq', 'track', 'Purchase', custom, { eventID: id }]]);

    // Personal data from options is sent to the gateway only, never stored in the browser.
    const stored = await b.page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    assert.ok(!/jane|example|612345/i.test(stored), stored);
    // The response was readable (CORS headers accepted) and debug logged it.
    await waitFor(() => b.logs.some(l => l.startsWith('[ConversionsGateway] sent 202')), 'debug log of the 202');

    // Custom name → fbq trackCustom and no TikTok call; PageView → Meta only; caller's event_id is kept.
    await b.page.evaluate(() => { window.calls = []; });
    const c1 = await track(b.page, 'NewsletterOpened', { list: 'weekly' });
    const c2 = await track(b.page, 'PageView');
    const c3 = await track(b.page, 'Lead', null, { event_id: 'order-42' });
    assert.equal(c3, 'order-42');
    assert.deepEqual(await b.page.evaluate(() => window.calls), [
      ['fbq', 'trackCustom', 'NewsletterOpened', { list: 'weekly' }, { eventID: c1 }],
      ['fbq', 'track', 'PageView', {}, { eventID: c2 }],
      ['ttq', 'Lead', {}, { event_id: 'order-42' }],
      ['fbq', 'track', 'Lead', {}, { eventID: 'order-42' }],
    ]);
    assert.equal((await hitFor('order-42')).body.custom_data, undefined);
    await hitFor(c1);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('the pixels get the gateway\'s names for this site, so Pixel and server copies carry the same event name', async () => {
  namesReply = JSON.stringify({ tiktok: { CompletePayment: 'Purchase', PageView: null }, meta: { CompletePayment: 'Purchase', Lead: null } });
  const seen = hits.length;
  const b = await open(makePage({ head: PIXEL_STUBS }));
  try {
    const id = await track(b.page, 'CompletePayment', { value: 5, currency: 'EUR' });
    const lead = await track(b.page, 'Lead');
    const calls = await waitFor(async () => { const c = await b.page.evaluate(() => window.calls); return c.length >= 3 && c; }, 'pixel calls');
    assert.deepEqual(calls, [
      ['ttq', 'Purchase', { value: 5, currency: 'EUR' }, { event_id: id }],
      ['fbq', 'track', 'Purchase', { value: 5, currency: 'EUR' }, { eventID: id }],
      ['ttq', 'Lead', {}, { event_id: lead }], // not in the names: the built-in list decides; Meta's null: not fired
    ]);
    const asked = hits.slice(seen).filter(h => h.method === 'GET' && h.path === '/api/v1/collect/names');
    assert.equal(asked.length, 1, 'asked once per page');
    assert.equal(asked[0].query.get('key'), KEY);
    assert.equal(hits.filter(h => h.method === 'OPTIONS').length, 0, 'no preflight');
    assert.equal((await hitFor(id)).body.event_name, 'CompletePayment', 'the server copy keeps the canonical name; the gateway maps it');
    assert.deepEqual(b.errors, []);
  } finally {
    namesReply = '{}';
    await b.close();
  }
});

test('ad_user_data denied: no identifiers sent and no click-id cookies; setConsent(granted) restores both', async () => {
  const head = `<script>${INSTALL_STUB}
    ConversionsGateway.init({ endpoint: ${JSON.stringify(gwOrigin)}, key: ${JSON.stringify(KEY)},
      defaultConsent: { ad_user_data: 'denied', ad_personalization: 'denied' } });</script>`;
  const b = await open(makePage({ head, attrs: '' }) + '?ttclid=tt-denied&fbclid=fb-denied');
  try {
    await b.ctx.addCookies([{ name: '_ttp', value: 'ttp-x', url: siteOrigin }, { name: '_fbp', value: 'fb.1.1700000000000.1234567890', url: siteOrigin }]);
    const jar = await cookieJar(b.ctx);
    assert.deepEqual(Object.keys(jar).sort(), ['_fbp', '_ttp'], 'no ttclid/_fbc cookies written');

    const id = await track(b.page, 'Purchase', { value: 1, currency: 'EUR' },
      { user_data: { email: 'a@b.c', phone: '+15551234567', external_id: 'u1', client_ip_address: '1.2.3.4' } });
    const { body } = await hitFor(id);
    const ua = await b.page.evaluate(() => navigator.userAgent);
    assert.deepEqual(body.user_data, { client_user_agent: ua });
    assert.deepEqual(body.consent, { ad_user_data: 'denied', ad_personalization: 'denied' });
    assert.deepEqual(Object.keys(await cookieJar(b.ctx)).sort(), ['_fbp', '_ttp'], 'track() does not write them either');

    // The CMP grants later: setConsent beats defaultConsent, cookies are captured, identifiers flow.
    await b.page.evaluate(() => ConversionsGateway.setConsent({ ad_user_data: 'granted', ad_personalization: 'granted' }));
    assert.equal((await cookieJar(b.ctx)).ttclid.value, 'tt-denied');
    const id2 = await track(b.page, 'Purchase', null, { user_data: { email: 'a@b.c' } });
    const b2 = (await hitFor(id2)).body;
    assert.deepEqual(b2.consent, { ad_user_data: 'granted', ad_personalization: 'granted' });
    assert.equal(b2.user_data.ttclid, 'tt-denied');
    assert.equal(b2.user_data.ttp, 'ttp-x');
    assert.equal(b2.user_data.email, 'a@b.c');
    assert.match(b2.user_data.fbc, /^fb\.1\.\d{13}\.fb-denied$/);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('Google Consent Mode v2 state is read from dataLayer (latest update wins; region defaults ignored)', async () => {
  const head = `<script>window.dataLayer = window.dataLayer || []; function gtag() { dataLayer.push(arguments); }
    gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' });
    gtag('consent', 'default', { ad_user_data: 'granted', ad_personalization: 'granted', region: ['US'] });
    dataLayer.push({ event: 'gtm.js' });</script>`;
  const b = await open(makePage({ head }) + '?ttclid=tt-cm');
  try {
    assert.equal((await cookieJar(b.ctx)).ttclid, undefined);
    const id = await track(b.page, 'AddToCart');
    const { body } = await hitFor(id);
    assert.deepEqual(body.consent, { ad_user_data: 'denied', ad_personalization: 'denied' });
    assert.deepEqual(Object.keys(body.user_data), ['client_user_agent']);

    await b.page.evaluate(() => {
      gtag('consent', 'update', { ad_user_data: 'granted', ad_personalization: 'denied' });
      gtag('consent', 'default', { ad_user_data: 'denied' }); // a later default never beats an update
    });
    const id2 = await track(b.page, 'AddToCart');
    const b2 = (await hitFor(id2)).body;
    assert.deepEqual(b2.consent, { ad_user_data: 'granted', ad_personalization: 'denied' });
    assert.equal(b2.user_data.ttclid, 'tt-cm', 'captured once consent allowed it');
    assert.equal((await cookieJar(b.ctx)).ttclid.value, 'tt-cm');

    // init({getConsent}) outranks Consent Mode, key by key.
    await b.page.evaluate(() => ConversionsGateway.init({ getConsent: () => ({ ad_personalization: true }) }));
    const id3 = await track(b.page, 'AddToCart');
    assert.deepEqual((await hitFor(id3)).body.consent, { ad_user_data: 'granted', ad_personalization: 'granted' });
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('calls queued on the install stub before the script loads are replayed after init', async () => {
  const head = `${PIXEL_STUBS}<script>${INSTALL_STUB}
    window.stubReturn = ConversionsGateway.track('AddToCart', { value: 3 }, { event_id: 'queued-1' });
    ConversionsGateway.setConsent({ ad_user_data: 'granted' });
    ConversionsGateway.track('Subscribe', null, { event_id: 'queued-2' });
    window.stubQueued = ConversionsGateway.q.length;</script>`;
  const b = await open(makePage({ head }));
  try {
    assert.equal(await b.page.evaluate(() => window.stubReturn), undefined);
    assert.equal(await b.page.evaluate(() => window.stubQueued), 3);
    const [h1, h2] = [await hitFor('queued-1'), await hitFor('queued-2')];
    assert.equal(h1.body.event_name, 'AddToCart');
    assert.deepEqual(h1.body.custom_data, { value: 3 });
    assert.deepEqual(h2.body.consent, { ad_user_data: 'granted' }, 'consent is resolved when the event is sent');
    assert.equal(h1.query.get('key'), KEY);
    assert.deepEqual((await b.page.evaluate(() => window.calls)).map(c => c.at(-1)),
      [{ event_id: 'queued-1' }, { eventID: 'queued-1' }, { event_id: 'queued-2' }, { eventID: 'queued-2' }]);
    assert.equal(await b.page.evaluate(() => typeof ConversionsGateway.q), 'undefined', 'stub replaced by the API');
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

// sendBeacon requests of text/plain go out in no-cors mode; our fetch is mode cors. Chromium reports
// the mode in Sec-Fetch-Mode, which tells the two transports apart at the server.
const SPY_BEACON = () => {
  const orig = navigator.sendBeacon.bind(navigator);
  window.beacons = [];
  navigator.sendBeacon = (u, b) => { window.beacons.push(u); return orig(u, b); };
};

test('sendBeacon is used on pagehide, on request, and when fetch is missing', async () => {
  const head = `<script>addEventListener('pagehide', () => ConversionsGateway.track('Lead', { form: 'exit' }, { event_id: 'on-pagehide' }));</script>`;
  const b = await open(makePage({ head }), { init: SPY_BEACON });
  try {
    const id = await track(b.page, 'Contact', null, { transport: 'beacon' });
    const h = await hitFor(id);
    assert.equal(h.headers['sec-fetch-mode'], 'no-cors');
    assert.equal(h.headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(h.query.get('key'), KEY);
    assert.equal(h.body.event_name, 'Contact');
    assert.deepEqual(await b.page.evaluate(() => window.beacons), [`${gwOrigin}/api/v1/collect?key=${KEY}`]);

    await b.page.goto(`${siteOrigin}/elsewhere`); // fires pagehide on the test page
    const exit = await hitFor('on-pagehide');
    assert.equal(exit.headers['sec-fetch-mode'], 'no-cors', 'sent by sendBeacon');
    assert.deepEqual(exit.body.custom_data, { form: 'exit' });
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }

  const nf = await open(makePage(), { init: () => { delete window.fetch; } });
  try {
    const id = await track(nf.page, 'Search', { search_string: 'shoes' });
    const h = await hitFor(id);
    assert.equal(h.headers['sec-fetch-mode'], 'no-cors');
    assert.deepEqual(h.body.custom_data, { search_string: 'shoes' });
    assert.deepEqual(nf.errors, []);
  } finally { await nf.close(); }
});

test('errors never reach the page; debug logs them; event_id falls back without crypto.randomUUID', async () => {
  const head = `<script>
    window.ttq = { track() { throw new Error('ttq boom'); } };
    window.fbq = function () { throw new Error('fbq boom'); };</script>`;
  const b = await open(makePage({ head, attrs: `data-endpoint="${gwOrigin}" data-key="${KEY}" data-debug` }),
    { init: () => { delete Crypto.prototype.randomUUID; } });
  try {
    await b.page.evaluate(() => ConversionsGateway.init({ getConsent() { throw new Error('cmp boom'); } }));
    const id = await track(b.page, 'Purchase', { value: 5, currency: 'USD' });
    assert.match(id, UUID_V4, 'getRandomValues fallback');
    assert.equal((await hitFor(id)).body.event_name, 'Purchase', 'pixel and CMP failures do not stop the post');

    const results = await b.page.evaluate(() => {
      const circular = {}; circular.self = circular;
      return [
        typeof ConversionsGateway.track('Purchase', circular),
        typeof ConversionsGateway.setConsent('nonsense'),
        typeof ConversionsGateway.init(null),
      ];
    });
    assert.deepEqual(results, ['string', 'undefined', 'undefined']);
    assert.deepEqual(b.errors, []);
    for (const m of ['ttq failed', 'fbq failed', 'getConsent failed', 'send failed']) {
      assert.ok(b.logs.some(l => l.startsWith('[ConversionsGateway] ' + m)), `debug log "${m}" in ${JSON.stringify(b.logs)}`);
    }
  } finally { await b.close(); }

  // Without debug, nothing is logged.
  const quiet = await open(makePage(), { init: () => { window.fbq = () => { throw new Error('x'); }; } });
  try {
    await hitFor(await track(quiet.page, 'Lead'));
    assert.deepEqual(quiet.logs.filter(l => l.includes('ConversionsGateway')), []);
    assert.deepEqual(quiet.errors, []);
  } finally { await quiet.close(); }
});

test('gateway.js stays small, dependency-free ES2017', () => {
  const src = readFileSync(GATEWAY_JS, 'utf8');
  assert.ok(src.length < 10 * 1024, `${src.length} bytes`);
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\?\.|\?\?|\.\.\.|catch\s*\{|\bimport\b|\brequire\(/, 'no ES2018+ syntax or modules');
});
