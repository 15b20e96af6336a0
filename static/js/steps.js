// A long form in short steps on a phone: <form data-steps data-steps-of="Bước %(n)s/%(total)s"
// data-steps-back="…" data-steps-next="…"> with <fieldset data-step data-step-title="…"> children.
// One step is shown at a time with the progress above it; Back and Next only show and hide parts of
// the one form, so nothing typed is ever lost, and the form is submitted once, from the last step
// ([data-steps-final] is shown there). Without this script every step shows, one under the other.
// Buttons [data-fill-max] mark every item of their step fully met: the secretary's own tap.
(function () {
  'use strict';
  document.querySelectorAll('form[data-steps]').forEach(function (form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll('fieldset[data-step]'));
    if (steps.length < 2) return;
    var final = form.querySelector('[data-steps-final]');
    var head = document.createElement('div');
    head.className = 'mb-2';
    head.setAttribute('data-steps-progress', '');
    var label = document.createElement('div');
    label.className = 'fw-semibold';
    var bar = document.createElement('div');
    bar.className = 'progress';
    bar.setAttribute('role', 'progressbar');
    bar.style.height = '.5rem';
    var fill = document.createElement('div');
    fill.className = 'progress-bar bg-success';
    bar.appendChild(fill);
    head.appendChild(label);
    head.appendChild(bar);
    steps[0].parentNode.insertBefore(head, steps[0]);

    var nav = document.createElement('div');
    nav.className = 'd-flex gap-2 my-3';
    var back = document.createElement('button');
    back.type = 'button';
    back.className = 'btn btn-outline-secondary btn-lg flex-fill';
    back.textContent = '← ' + form.getAttribute('data-steps-back');
    back.setAttribute('data-steps-back-button', '');
    var next = document.createElement('button');
    next.type = 'button';
    next.className = 'btn btn-primary btn-lg flex-fill';
    next.textContent = form.getAttribute('data-steps-next') + ' →';
    next.setAttribute('data-steps-next-button', '');
    nav.appendChild(back);
    nav.appendChild(next);
    steps[steps.length - 1].parentNode.insertBefore(nav, steps[steps.length - 1].nextSibling);

    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      var last = current === steps.length - 1;
      back.hidden = current === 0;
      next.hidden = last;
      if (final) final.hidden = !last;
      label.textContent = form.getAttribute('data-steps-of')
        .replace('{n}', current + 1).replace('{total}', steps.length) +
        ' · ' + steps[current].getAttribute('data-step-title');
      fill.style.width = Math.round(100 * (current + 1) / steps.length) + '%';
      bar.setAttribute('aria-valuenow', current + 1);
      bar.setAttribute('aria-valuemax', steps.length);
    }
    back.addEventListener('click', function () { show(current - 1); head.scrollIntoView(); });
    next.addEventListener('click', function () { show(current + 1); head.scrollIntoView(); });
    // After a refused save, open the first step holding a message.
    var firstError = steps.findIndex(function (step) {
      return step.querySelector('.is-invalid, .invalid-feedback, .text-danger, .errorlist');
    });
    show(firstError >= 0 ? firstError : 0);
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-fill-max]');
    if (!button) return;
    var step = button.closest('fieldset') || button.form;
    step.querySelectorAll('input[type=number][max]').forEach(function (input) {
      input.value = input.getAttribute('max');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    step.querySelectorAll('input[type=checkbox]').forEach(function (input) {
      input.checked = true;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  });
})();
