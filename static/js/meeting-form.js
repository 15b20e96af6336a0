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
