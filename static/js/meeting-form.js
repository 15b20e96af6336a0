// The meeting form (templates/evaluations/meetings/meeting_form.html).
(function () {
  'use strict';
  // The agenda fields use Django's default widgets: give them Bootstrap's look.
  document.querySelectorAll('#meeting-form fieldset input[type=text], #meeting-form fieldset input[type=number]')
    .forEach(function (el) { el.classList.add('form-control'); });
  // Show the fields of the chosen kind only: topic for thematic and model meetings, designation and
  // lessons learned for model meetings.
  var kind = document.getElementById('id_kind');
  if (!kind) return;
  function show(id, visible) { var el = document.getElementById(id); if (el) el.hidden = !visible; }
  function sync() {
    show('div_id_topic', kind.value !== 'regular');
    show('div_id_designation', kind.value === 'model');
    show('div_id_lessons_learned', kind.value === 'model');
  }
  kind.addEventListener('change', sync);
  sync();
})();
// Attendance counts, computed from the taps (the server computes them again from the same rows; they
// are never typed), and "everyone present voted for" on an agenda item.
(function () {
  'use strict';
  var form = document.getElementById('meeting-form');
  var box = document.querySelector('[data-attendance-counts]');
  function counts() {
    var c = { present: 0, excused: 0, unexcused: 0, total: 0 };
    // Members exempt from meetings are not counted (the server leaves them out the same way).
    form.querySelectorAll('input[type=radio][name^=presence_]:checked:not([data-exempt])').forEach(function (input) {
      c[input.value] = (c[input.value] || 0) + 1;
      c.total += 1;
    });
    return c;
  }
  function show() {
    if (!box) return;
    var c = counts();
    box.textContent = box.getAttribute('data-template').replace('{present}', c.present)
      .replace('{total}', c.total).replace('{excused}', c.excused).replace('{unexcused}', c.unexcused);
  }
  if (!form) return;
  form.addEventListener('change', show);
  show();
  form.addEventListener('click', function (event) {
    var button = event.target.closest('[data-vote-unanimous]');
    if (!button) return;
    var row = button.closest('[data-agenda-row]');
    var c = counts();
    [['votes_for', c.present], ['votes_against', 0], ['votes_abstain', 0]].forEach(function (pair) {
      var input = row.querySelector('input[name$=' + pair[0] + ']');
      input.value = pair[1];
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  });
})();
