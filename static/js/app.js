// Behaviour shared by every page, bound from data attributes: the Content-Security-Policy allows no
// inline scripts or on* attributes, so templates say what they want and this file does it.
(function () {
  'use strict';
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
    }
  }, true);
  document.addEventListener('click', function (event) {
    // <button data-close-editor>: empty the inline tree editor, or go back when opened as a page.
    var close = event.target.closest('[data-close-editor]');
    if (close) {
      var editor = close.closest('#tree-editor');
      if (editor) { editor.innerHTML = ''; } else { window.history.back(); }
      return;
    }
    // <button data-copy="#input" data-copied="Copied">: copy the input's text (a report's share link).
    var copy = event.target.closest('[data-copy]');
    if (copy) {
      var input = document.querySelector(copy.getAttribute('data-copy'));
      if (input) {
        input.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value); } else { document.execCommand('copy'); }
        copy.textContent = copy.getAttribute('data-copied') || copy.textContent;
      }
      return;
    }
    // <button data-reload>: try the page again (the offline page).
    if (event.target.closest('[data-reload]')) {
      window.location.reload();
      return;
    }
    // <button data-tree-toggle>: the arrow of an organisation that opens and closes its children.
    var toggle = event.target.closest('[data-tree-toggle]');
    if (toggle) {
      toggle.textContent = toggle.textContent.trim() === '▸' ? '▾' : '▸';
    }
  });
  // <input data-date-input>: dates are typed dd/mm/yyyy (cells.forms.DateInput); the slashes come by
  // themselves after the day and the month, so a secretary types only digits.
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[data-date-input]')) return;
    if (event.inputType && event.inputType.indexOf('delete') === 0) return;
    if (/^\d{2}$/.test(input.value) || /^\d{1,2}\/\d{2}$/.test(input.value)) input.value += '/';
  });
  // <form data-autosubmit>: a filter form applies itself as soon as a choice changes (the button stays for
  // anyone without scripts).
  document.addEventListener('change', function (event) {
    var target = event.target;
    var form = target.closest && target.closest('form[data-autosubmit]');
    if (!form || !target.matches('select, input[type=month]')) return;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
  // <input data-filter-select="#id">: typing narrows a long list of choices (a person picker); a letter
  // matches with or without its Vietnamese marks, and every word typed must appear.
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[data-filter-select]')) return;
    var select = document.getElementById(input.getAttribute('data-filter-select'));
    if (!select) return;
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var text = fold(option.textContent);
      option.hidden = !option.selected && !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
  });
})();
