// The outbox: saves made with no network wait on the phone (IndexedDB) and are sent by themselves.
//
// <form data-outbox="meeting|score|assessment|registration"> (the forms a secretary fills in the
// field). Pressing Save with no network keeps the form's content here and says so at once; every page
// shows how many wait (templates/_outbox_status.html, texts from {% outbox_texts %}). When the
// network returns, when a page opens, and every half minute while something waits, the items are
// sent in the order they were saved, each with its idempotency key (the draft's id, the form's
// client_key field): a resend after a lost answer is answered "already saved" by the server. Each
// answer is shown: saved, or refused with the server's reason, and then what was typed goes back
// into the form (as the browser draft static/js/drafts.js restores) so nothing is lost.
// It also registers the service worker (/sw.js) that keeps the pages for use without a network.
(function () {
  'use strict';
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () { /* the app works without */ });
  }
  if (!window.indexedDB) return;

  var DB = 'chibo-outbox';
  var STORE = 'items';
  var RETRY_MS = 30000;
  var textsElement = document.getElementById('outbox-texts');
  var T = textsElement ? JSON.parse(textsElement.textContent) : null;
  var user = document.body.getAttribute('data-user') || '';
  var statusBox = document.querySelector('[data-outbox-status]');
  var answers = document.querySelector('[data-outbox-answers]');
  var sending = false;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && 'result' in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(withInflight) {
    return run('readonly', function (store) { return store.getAll(); }).then(function (items) {
      // Only this user's writes are shown and sent (a shared phone); the offline page knows no user.
      // "inflight": the copy kept while the browser itself sends the form (see the submit handler).
      return (items || []).filter(function (item) {
        return (!user || item.user === user) && (withInflight || item.state !== 'inflight');
      }).sort(function (a, b) { return a.id - b.id; });
    });
  }

  function remove(id) { return run('readwrite', function (store) { store.delete(id); }); }

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }

  // --- What the page shows ----------------------------------------------------------------------

  function showCount() {
    return all().then(function (items) {
      if (!statusBox || !T) return items;
      var counts = {};
      items.forEach(function (item) { counts[item.kind] = (counts[item.kind] || 0) + 1; });
      var parts = Object.keys(counts).map(function (kind) {
        var nouns = T.kinds[kind] || T.kinds.meeting;
        return fmt(nouns[counts[kind] === 1 ? 0 : 1], { n: counts[kind] });
      });
      statusBox.hidden = items.length === 0;
      statusBox.querySelector('[data-outbox-count]').textContent = parts.length ?
        fmt(T.waiting, { items: parts.join(', ') }) : '';
      var send = statusBox.querySelector('[data-outbox-send]');
      if (send) send.hidden = !navigator.onLine;
      // The home page's "this month's meeting": waiting to send, while its record sits here.
      document.querySelectorAll('[data-outbox-form]').forEach(function (el) {
        var waiting = items.some(function (item) {
          return item.draftKey && item.draftKey.slice(-(el.getAttribute('data-outbox-form').length + 1)) ===
            ':' + el.getAttribute('data-outbox-form');
        });
        if (waiting) {
          if (!el.hasAttribute('data-outbox-server-text')) el.setAttribute('data-outbox-server-text', el.textContent);
          el.textContent = el.getAttribute('data-outbox-waiting');
          el.setAttribute('data-outbox-waiting-shown', '');
        } else if (el.hasAttribute('data-outbox-waiting-shown')) {
          el.textContent = el.getAttribute('data-outbox-server-text');
          el.removeAttribute('data-outbox-waiting-shown');
        }
      });
      return items;
    });
  }

  function answer(text, kind, link) {
    if (!answers) return null;
    var box = document.createElement('div');
    box.className = 'alert alert-' + kind + ' d-flex flex-wrap gap-2 align-items-center justify-content-between';
    box.setAttribute('data-outbox-answer', kind);
    box.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
    var span = document.createElement('span');
    span.textContent = text;
    box.appendChild(span);
    if (link) {
      var a = document.createElement('a');
      a.className = 'btn btn-sm btn-outline-dark';
      a.href = link.href;
      a.textContent = link.text;
      box.appendChild(a);
    }
    answers.appendChild(box);
    return box;
  }

  function formFor(item) {
    return document.querySelector('form[data-draft="' + item.draftKey + '"]');
  }

  // --- Keeping a save ---------------------------------------------------------------------------

  function label(form) {
    var heading = document.querySelector('main h1');
    var extra = form.getAttribute('data-outbox-label');
    return [heading ? heading.textContent.trim() : document.title, extra].filter(Boolean).join(' · ');
  }

  function keep(form, submitter, state) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value || '');
    var key = data.get('client_key');
    if (!key) {
      key = window.chiboDrafts ? window.chiboDrafts.newId() : String(Date.now());
      data.set('client_key', key);
    }
    var fields = [];
    data.forEach(function (value, name) { fields.push([name, value]); });
    var draftKey = form.getAttribute('data-draft') || '';
    var item = {
      user: user,
      kind: form.getAttribute('data-outbox'),
      url: form.getAttribute('action') || window.location.pathname + window.location.search,
      page: window.location.pathname + window.location.search,
      draftKey: draftKey,
      key: key,
      fields: fields,
      values: window.chiboDrafts ? window.chiboDrafts.collect(form) : {},
      label: label(form),
      state: state || 'waiting',
      at: Date.now()
    };
    if (form.chiboDraft) form.chiboDraft.save(); // the browser draft stays until the server has it
    // The same form saved twice while waiting: the newer content replaces the older, in its place.
    return all(true).then(function (items) {
      var same = items.filter(function (other) { return draftKey && other.draftKey === draftKey; })[0];
      if (same) item.id = same.id;
      return run('readwrite', function (store) { store.put(item); });
    });
  }

  function queuedNotice(form) {
    if (form && form.chiboDraft) {
      form.chiboDraft.notice(T ? T.queued : '', 'warning').setAttribute('data-outbox-queued', '');
    } else {
      answer(T ? T.queued : '', 'warning');
    }
  }

  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-outbox]');
    if (!form || event.defaultPrevented) return;
    if (navigator.onLine) {
      // The browser sends the form itself; a copy is kept first ("inflight"). If the network fails on
      // the way, the service worker brings the form's page back (#chibo-offline-post) and the copy
      // joins the outbox; if the server answers, the next page drops it.
      if (form.getAttribute('data-outbox-kept')) { form.removeAttribute('data-outbox-kept'); return; }
      event.preventDefault();
      var submitter = event.submitter;
      var send = function () {
        form.setAttribute('data-outbox-kept', '1');
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      };
      keep(form, submitter, 'inflight').then(send, send);
      return;
    }
    event.preventDefault();
    keep(form, event.submitter).then(function () {
      queuedNotice(form);
      return showCount();
    });
  });

  // --- Sending ----------------------------------------------------------------------------------

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRFToken'] || ''; } catch (e) { return ''; }
  }

  function textsOf(doc, selector) {
    var seen = [];
    doc.querySelectorAll(selector).forEach(function (el) {
      var text = el.textContent.replace(/\s+/g, ' ').trim();
      if (text && seen.indexOf(text) === -1) seen.push(text);
    });
    return seen;
  }

  function refused(item, reasons) {
    // What was typed becomes the browser draft again: the form shows it, with the reason, when opened.
    try {
      window.localStorage.setItem(item.draftKey, JSON.stringify({ at: item.at, values: item.values, id: item.key }));
      window.localStorage.setItem('chibo:refused:' + item.draftKey, JSON.stringify({ reasons: reasons, at: Date.now() }));
    } catch (e) { /* storage full: the item's content is shown below */ }
    var text = fmt(T.refused, { what: item.label, reason: reasons.join(' ') });
    var form = formFor(item);
    if (form && window.chiboDrafts) {
      window.chiboDrafts.apply(form, item.values);
      form.chiboDraft.notice(text + ' ' + T.refusedBack, 'danger').setAttribute('data-outbox-refused', '');
      answer(text, 'danger');
    } else {
      answer(text, 'danger', { href: item.page, text: T.open });
    }
  }

  function sendOne(item) {
    var body = new FormData();
    var token = csrfToken();
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === 'csrfmiddlewaretoken' && token ? token : pair[1]);
    });
    return fetch(item.url, {
      method: 'POST', body: body, credentials: 'same-origin', redirect: 'follow',
      headers: { 'X-Chibo-Outbox': '1' }
    }).then(function (response) {
      if (new URL(response.url).pathname === '/login/') {
        answer(T.login, 'warning');
        return 'stop';
      }
      if (response.status >= 500 || response.status === 429) {
        answer(fmt(T.error, { status: response.status }), 'warning');
        return 'stop';
      }
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        if (response.ok && response.redirected) {
          var said = textsOf(doc, 'main .alert-success');
          try {
            window.localStorage.removeItem(item.draftKey);
            window.localStorage.removeItem('chibo:refused:' + item.draftKey);
          } catch (e) { /* nothing kept */ }
          var box = answer(fmt(T.sent, { what: item.label }) + (said.length ? ' ' + said.join(' ') : ''), 'success',
            { href: new URL(response.url).pathname, text: T.open });
          if (box) box.setAttribute('data-outbox-answer', 'saved');
          var form = formFor(item);
          if (form && form.chiboDraft) {
            form.chiboDraft.notice(fmt(T.sent, { what: item.label }) + (said.length ? ' ' + said.join(' ') : ''), 'success')
              .setAttribute('data-outbox-saved', '');
          }
          return 'done';
        }
        var reasons = textsOf(doc, 'main .alert-danger, main .invalid-feedback, main .errorlist li, main .text-danger');
        if (!reasons.length) reasons = [response.status + ' ' + response.statusText];
        refused(item, reasons);
        return 'done';
      });
    }, function () { return 'stop'; }); // no network after all: the item waits
  }

  function flush() {
    if (sending || !navigator.onLine || !T) return Promise.resolve();
    sending = true;
    function next() {
      return all().then(function (items) {
        if (!items.length) return null;
        var item = items[0];
        return sendOne(item).then(function (outcome) {
          if (outcome === 'stop') return null;
          return remove(item.id).then(showCount).then(next);
        });
      });
    }
    var work = function () { return next(); };
    var done = navigator.locks ? navigator.locks.request('chibo-outbox', work) : work();
    return Promise.resolve(done).catch(function () { /* tried again later */ }).then(function () {
      sending = false;
      return showCount();
    });
  }

  // A refusal kept from an earlier page: shown over the form it belongs to.
  document.querySelectorAll('form[data-draft]').forEach(function (form) {
    var key = 'chibo:refused:' + form.getAttribute('data-draft');
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(key) || 'null'); } catch (e) { kept = null; }
    if (kept && form.chiboDraft && T) {
      if (!window.localStorage.getItem(form.getAttribute('data-draft'))) {
        window.localStorage.removeItem(key); // the draft is gone (saved since): so is the refusal
        return;
      }
      form.chiboDraft.notice(fmt(T.refused, { what: label(form), reason: kept.reasons.join(' ') }) + ' ' +
        T.refusedBack, 'danger').setAttribute('data-outbox-refused', '');
    }
  });

  document.addEventListener('click', function (event) {
    if (event.target.closest('[data-outbox-send]')) flush();
  });
  window.addEventListener('online', function () { flush(); });
  window.addEventListener('offline', function () { showCount(); });
  // Copies kept while the browser sent a form: joined to the outbox when the send failed (the service
  // worker brought the page back with #chibo-offline-post), dropped otherwise (the server answered).
  var failedPost = window.location.hash === '#chibo-offline-post';
  if (failedPost) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  all(true).then(function (items) {
    return Promise.all(items.filter(function (item) { return item.state === 'inflight'; }).map(function (item) {
      if (!failedPost) return remove(item.id);
      item.state = 'waiting';
      return run('readwrite', function (store) { store.put(item); }).then(function () { queuedNotice(formFor(item)); });
    }));
  }).then(showCount).then(function (items) { if (items.length) flush(); });
  window.setInterval(function () {
    showCount().then(function (items) { if (items.length) flush(); });
  }, RETRY_MS);
  window.chiboOutbox = { flush: flush, count: function () { return all().then(function (i) { return i.length; }); } };
})();
