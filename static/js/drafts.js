// Drafts kept in the browser for <form data-draft="chibo:draft:<user>:<form>:<object>"> (cells/drafts.py).
// Everything typed is written to localStorage as it is typed; opening the form again (after a reload,
// a crash, a lost connection) puts it back with a notice and a button to discard it. The server's
// redirect after a successful save carries the cookie "chibo_saved" naming the keys saved: they are
// removed here, on whatever page comes next. Files are not kept (a browser cannot store a chosen file).
(function () {
  'use strict';
  var SAVED = 'chibo_saved';
  var store;
  try { store = window.localStorage; store.getItem('x'); } catch (e) { return; } // private mode: no drafts

  function readCookie(name) {
    var found = document.cookie.split('; ').filter(function (c) { return c.indexOf(name + '=') === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)).replace(/^"|"$/g, '') : '';
  }

  // 1. Drafts the server saved since the last page.
  var saved = readCookie(SAVED);
  if (saved) {
    saved.split('|').forEach(function (key) { if (key.indexOf('chibo:draft:') === 0) store.removeItem(key); });
    document.cookie = SAVED + '=; Max-Age=0; path=/; SameSite=Lax';
  }

  // Fields a draft keeps: everything the user types or taps, not the CSRF token, the page's version
  // (the server's, never the draft's) or files.
  function kept(el) {
    if (!el.name || el.disabled || el.name === 'csrfmiddlewaretoken' || el.name === 'version') return false;
    return ['file', 'submit', 'button', 'reset', 'image', 'password'].indexOf(el.type) === -1;
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      if (el.type === 'checkbox') {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === 'radio') {
        if (el.checked) values[el.name] = el.value;
      } else if (el.type === 'select-multiple') {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in values)) return;
      var value = values[el.name];
      if (el.type === 'checkbox') {
        el.checked = value.indexOf(el.value) !== -1;
      } else if (el.type === 'radio') {
        el.checked = el.value === value;
      } else if (el.type === 'select-multiple') {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else {
        el.value = value;
      }
    });
    // Let the page's own behaviour (running totals, attendance counts, shown fields) see the values.
    Array.prototype.forEach.call(form.elements, function (el) {
      if (kept(el)) el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    form.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function when(ms) {
    var d = new Date(ms); // dd/mm/yyyy whatever the browser's locale
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' + pad(d.getMonth() + 1) +
      '/' + d.getFullYear();
  }

  function notice(form, text, kind) {
    var box = form.parentNode.querySelector('[data-draft-notice]');
    if (!box) {
      box = document.createElement('div');
      box.setAttribute('data-draft-notice', '');
      box.setAttribute('role', 'status');
      form.parentNode.insertBefore(box, form);
    }
    box.className = 'alert alert-' + (kind || 'info') + ' d-flex flex-wrap gap-2 align-items-center justify-content-between';
    box.textContent = '';
    var span = document.createElement('span');
    span.textContent = text;
    box.appendChild(span);
    return box;
  }

  function setup(form) {
    var key = form.getAttribute('data-draft');
    var draft = null;
    try { draft = JSON.parse(store.getItem(key) || 'null'); } catch (e) { draft = null; }
    // The draft's id travels with the record (a hidden field): the server saves the same draft once.
    form.querySelectorAll('input[data-draft-id]').forEach(function (input) {
      if (!input.value) input.value = (draft && draft.values && draft.values[input.name]) || newId();
    });
    var initial = collect(form);
    if (draft && draft.values && !same(draft.values, initial)) {
      apply(form, draft.values);
      var box = notice(form, form.getAttribute('data-draft-restored').replace('%(time)s', when(draft.at)));
      var discard = document.createElement('button');
      discard.type = 'button';
      discard.className = 'btn btn-outline-secondary';
      discard.setAttribute('data-draft-discard', '');
      discard.textContent = form.getAttribute('data-draft-discard');
      discard.addEventListener('click', function () {
        store.removeItem(key);
        form.reset(); // back to what the server sent
        apply(form, initial);
        box.remove();
      });
      box.appendChild(discard);
    }
    function save() {
      var values = collect(form);
      if (same(values, initial) && !store.getItem(key)) return; // nothing typed yet
      var previous = null;
      try { previous = JSON.parse(store.getItem(key) || 'null'); } catch (e) { previous = null; }
      var entry = { at: Date.now(), values: values, id: (previous && previous.id) || newId() };
      try { store.setItem(key, JSON.stringify(entry)); } catch (e) { /* storage full: the form still works */ }
    }
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    window.addEventListener('pagehide', save);
    form.chiboDraft = { key: key, save: save, notice: function (t, k) { return notice(form, t, k); } };
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  // A page shown again from the browser's back-forward cache after its save went through: its draft is
  // gone, so its idempotency key must be new too, or the next save would be taken for the last one.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-draft]').forEach(function (form) {
      if (store.getItem(form.getAttribute('data-draft'))) return;
      form.querySelectorAll('input[data-draft-id]').forEach(function (input) { input.value = newId(); });
    });
  });
  window.chiboDrafts = { collect: collect, apply: apply, newId: newId };
  document.querySelectorAll('form[data-draft]').forEach(setup);
})();
