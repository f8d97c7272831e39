/*! Conversions Gateway browser snippet. No dependencies, ES2017. Docs: wwwroot-assets/README.md
 * Install (calls made before this file loads are queued in `q` and replayed in order):
 * <script>
 * !function(w,g){g=w.ConversionsGateway=w.ConversionsGateway||{q:[]};["init","track","setConsent"].forEach(function(m){g[m]=g[m]||function(){g.q.push([m].concat([].slice.call(arguments)))}})}(window);
 * </script>
 * <script async src="https://gw.example.com/assets/gateway.js" data-endpoint="https://gw.example.com" data-key="gb_..."></script>
 * Then: ConversionsGateway.track("Purchase", {value: 9.99, currency: "EUR"}, {user_data: {email: "a@b.c"}});
 * A queued (stub) track() returns nothing: pass options.event_id if the page needs the id early.
 */
(function (w, d) {
  'use strict';
  const old = w.ConversionsGateway;
  if (old && old.loaded) return;
  const TT = ' AddPaymentInfo AddToCart AddToWishlist ApplicationApproval CompleteRegistration Contact CustomizeProduct Download FindLocation InitiateCheckout Lead Purchase Schedule Search StartTrial SubmitApplication Subscribe ViewContent ';
  const FB = ' AddPaymentInfo AddToCart AddToWishlist CompleteRegistration Contact CustomizeProduct Donate FindLocation InitiateCheckout Lead PageView Purchase Schedule Search StartTrial SubmitApplication Subscribe ViewContent ';
  const KEYS = ['ad_user_data', 'ad_personalization'];
  const waiting = [];
  let cfg = {}, on = false, booting = true, manual = {}, hiding = false, names = null, namesWait = null;

  function log() {
    if (cfg.debug && w.console) console.log.apply(console, ['[ConversionsGateway]'].concat([].slice.call(arguments)));
  }
  // Public methods never throw into the page.
  function safe(f) {
    return function () { try { return f.apply(null, arguments); } catch (e) { log(f.name + ' failed', e); } };
  }

  function getCookie(n) {
    const m = d.cookie.match(new RegExp('(?:^|;\\s*)' + n + '=([^;]*)'));
    try { return m ? decodeURIComponent(m[1]) : undefined; } catch (e) { return m[1]; }
  }
  function setCookie(n, v, days) {
    d.cookie = n + '=' + encodeURIComponent(v) + '; max-age=' + days * 86400 + '; path=/; SameSite=Lax' +
      (cfg.cookieDomain ? '; domain=' + cfg.cookieDomain : '') + (location.protocol === 'https:' ? '; Secure' : '');
  }

  function norm(v) {
    return v === true || v === 'granted' ? 'granted' : v === false || v === 'denied' ? 'denied' : undefined;
  }
  // Google Consent Mode v2: gtag() pushes `arguments` objects ['consent','default'|'update',{...}].
  // An update beats any default; region-scoped defaults are skipped (we cannot know the visitor's
  // region here), so the gateway's per-region default decides instead.
  function consentMode() {
    const dl = w.dataLayer, out = {}, upd = {};
    for (let i = 0; dl && i < dl.length; i++) {
      const c = dl[i];
      if (!c || c[0] !== 'consent' || !c[2] || typeof c[2] !== 'object') continue;
      const u = c[1] === 'update';
      if (!u && (c[1] !== 'default' || c[2].region)) continue;
      KEYS.forEach(k => { const v = norm(c[2][k]); if (v && (u || !upd[k])) { out[k] = v; if (u) upd[k] = 1; } });
    }
    return out;
  }
  // Per key, first answer wins: setConsent() > init getConsent() > Consent Mode > defaultConsent.
  function consent() {
    let g = {};
    if (typeof cfg.getConsent === 'function') {
      try { g = cfg.getConsent() || {}; } catch (e) { log('getConsent failed', e); }
    }
    const srcs = [manual, g, consentMode(), cfg.defaultConsent || {}], out = {};
    let any = false;
    KEYS.forEach(k => {
      for (const s of srcs) { const v = norm(s[k]); if (v) { out[k] = v; any = true; break; } }
    });
    return any ? out : undefined;
  }
  const denied = c => !!c && c.ad_user_data === 'denied';

  // Click ids and browser ids into first-party cookies (Meta's fbc/fbp formats); nothing when denied.
  function capture() {
    if (denied(consent())) return log('ad_user_data denied: no identifier cookies');
    const p = new URLSearchParams(location.search), now = Date.now();
    const tt = p.get('ttclid'), fb = p.get('fbclid'), fbc = getCookie('_fbc');
    if (tt && tt !== getCookie('ttclid')) setCookie('ttclid', tt, 30);
    // Same fbclid again (reload, back button): keep the first click's timestamp.
    if (fb && !(fbc && fbc.endsWith('.' + fb))) setCookie('_fbc', 'fb.1.' + now + '.' + fb, 90);
    if (!getCookie('_fbp')) setCookie('_fbp', 'fb.1.' + now + '.' + Math.floor(1e9 + Math.random() * 9e9), 90);
  }

  function uuid() {
    const c = w.crypto;
    if (c && c.randomUUID) return c.randomUUID(); // secure contexts only
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b); else for (let i = 0; i < 16; i++) b[i] = Math.random() * 256;
    b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
    const h = Array.from(b, x => (x + 256).toString(16).slice(1)).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // The gateway's names for this site (GET /api/v1/collect/names): the pixels get the name the server copy is
  // sent as, overrides included, so the platforms pair the two. Asked once per page; 1.5 s at most.
  function loadNames() {
    if (names || namesWait || cfg.pixels === false || cfg.names === false || typeof w.fetch !== 'function') return;
    const url = String(cfg.endpoint).replace(/\/+$/, '') + '/api/v1/collect/names?key=' + encodeURIComponent(cfg.key);
    const got = w.fetch(url, { mode: 'cors', credentials: 'omit' }).then(r => (r.ok ? r.json() : null)).catch(() => null);
    const late = new Promise(r => setTimeout(() => r(null), 1500));
    namesWait = Promise.race([got, late]).then(m => { names = m && typeof m === 'object' ? m : {}; log('names', names); });
  }
  function mapped(platform, name, fallback) {
    const m = names && names[platform];
    return m && Object.prototype.hasOwnProperty.call(m, name) ? m[name] : fallback;
  }

  // Same event_id to the pixels so the platforms deduplicate pixel and server copies.
  function pixels(name, props, id) {
    if (cfg.pixels === false) return;
    if (!names && namesWait) { namesWait.then(() => pixels(name, props, id)); return; }
    props = props || {};
    try {
      const tt = mapped('tiktok', name, TT.indexOf(' ' + name + ' ') >= 0 ? name : null);
      if (tt && w.ttq && typeof w.ttq.track === 'function') w.ttq.track(tt, props, { event_id: id });
    } catch (e) { log('ttq failed', e); }
    try {
      const fb = mapped('meta', name, name);
      if (fb && typeof w.fbq === 'function') w.fbq(FB.indexOf(' ' + fb + ' ') >= 0 ? 'track' : 'trackCustom', fb, props, { eventID: id });
    } catch (e) { log('fbq failed', e); }
  }

  // text/plain keeps this a CORS simple request (no preflight) and sendBeacon-compatible.
  function send(ev, transport) {
    const url = String(cfg.endpoint).replace(/\/+$/, '') + '/api/v1/collect?key=' + encodeURIComponent(cfg.key);
    const body = JSON.stringify(ev), n = w.navigator, f = typeof w.fetch === 'function';
    // window.event: a page's own pagehide handler may run before ours has set the flag.
    const leaving = hiding || (w.event && w.event.type === 'pagehide');
    if ((transport === 'beacon' || leaving || !f) && n.sendBeacon && n.sendBeacon(url, body)) return log('beacon', ev);
    if (!f) return log('no transport', ev);
    w.fetch(url, {
      method: 'POST', body, keepalive: true, mode: 'cors', credentials: 'omit',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' }
    }).then(r => log('sent', r.status, ev), e => log('send failed', e));
  }

  function track(name, custom, opt, t) {
    opt = opt || {};
    const id = String(opt.event_id || uuid());
    t = t || Math.floor(Date.now() / 1000);
    if (!on) {
      waiting.push([name, custom, Object.assign({}, opt, { event_id: id }), t]);
      log('waiting for init', name);
      return id;
    }
    capture(); // consent may have been granted since page load
    const c = consent(), ud = { client_user_agent: w.navigator.userAgent };
    // Denied: no identifiers at all, whatever the page passed.
    if (!denied(c)) {
      Object.assign(ud, { ttclid: getCookie('ttclid'), ttp: getCookie('_ttp'), fbc: getCookie('_fbc'), fbp: getCookie('_fbp') }, opt.user_data);
    }
    const ev = {
      event_name: name, event_id: id, event_time: t, action_source: 'website',
      event_source_url: location.href, referrer: d.referrer, source: 'browser', user_data: ud
    };
    if (custom) ev.custom_data = custom;
    if (c) ev.consent = c;
    pixels(name, custom, id);
    try { send(ev, opt.transport); } catch (e) { log('send failed', e); }
    return id;
  }

  function activate() {
    if (booting) return;
    if (!cfg.endpoint || !cfg.key) return log('init needs endpoint and key');
    on = true;
    loadNames();
    capture();
    waiting.splice(0).forEach(a => track.apply(null, a));
  }
  // init merges over earlier options (script data-attributes, earlier init calls).
  function init(o) {
    cfg = Object.assign({}, cfg, o);
    activate();
  }
  function setConsent(c) {
    manual = c ? Object.assign({}, manual, c) : {};
    if (on) capture();
  }

  const me = d.currentScript || d.querySelector('script[data-endpoint][data-key]');
  const ds = (me && me.dataset) || {};
  if (ds.endpoint) cfg.endpoint = ds.endpoint;
  if (ds.key) cfg.key = ds.key;
  if (ds.cookieDomain) cfg.cookieDomain = ds.cookieDomain;
  if ('debug' in ds) cfg.debug = ds.debug !== 'false';

  const api = { loaded: true, version: '1.1.0', init: safe(init), track: safe((n, c, o) => track(n, c, o)), setConsent: safe(setConsent) };
  w.ConversionsGateway = api;
  w.addEventListener('pagehide', () => { hiding = true; });
  w.addEventListener('pageshow', () => { hiding = false; });
  ((old && old.q) || []).forEach(a => { const f = a && api[a[0]]; if (f) f.apply(null, [].slice.call(a, 1)); });
  booting = false;
  safe(activate)();
})(window, document);
