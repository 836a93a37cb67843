// Autosave for the scoring form, as progressive enhancement only: when a
// juror picks a score or stops typing a comment, that criterion's cell is
// saved as a draft through the JSON API (PUT /api/v1/nominations/{id}/scores)
// and the criteria panel says "Lagret 14.02" and counts the criteria with a
// score, and the status tag shows the status the answer reports. Without
// this file the form works the same with its "Lagre" button; with it, that
// button still does.
(function () {
  'use strict';
  var form = document.getElementById('scoring-form');
  if (!form || !window.fetch || !window.Intl) {
    return;
  }
  var url = form.getAttribute('data-autosave');
  var status = document.getElementById('autosave-status');
  var en = document.documentElement.lang === 'en';
  var clock = new Intl.DateTimeFormat(en ? 'en-GB' : 'nb-NO',
    { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' });
  var timers = new Map();
  // Saves go one after the other, so that an older one never lands last.
  var queue = Promise.resolve();

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // tag shows the status the server's answer reports ("Utkast" once a
  // draft is saved), in the words and colour the page was rendered with.
  var statusTag = document.getElementById('scoring-status');
  function tag(state) {
    var label = statusTag && statusTag.getAttribute('data-label-' + state);
    if (label) {
      statusTag.textContent = label;
      statusTag.setAttribute('data-color', statusTag.getAttribute('data-color-' + state));
    }
  }

  // cell reads one criterion's fieldset as the API takes it, or null when
  // the typed score is no number (the "Lagre" button then explains).
  function cell(fieldset) {
    var checked = fieldset.querySelector('input[type=radio]:checked');
    var number = fieldset.querySelector('input.scoring-number');
    var raw = checked ? checked.value : (number ? number.value.trim().replace(',', '.') : '');
    var value = raw === '' ? null : Number(raw);
    if (value !== null && !isFinite(value)) {
      return null;
    }
    var comment = document.getElementById(fieldset.getAttribute('data-comment'));
    var out = {
      criterion_id: fieldset.getAttribute('data-criterion'),
      value: value,
      comment: comment ? comment.value : ''
    };
    var project = fieldset.getAttribute('data-project');
    if (project) {
      out.project_id = project;
    }
    return out;
  }

  function save(fieldset) {
    var c = cell(fieldset);
    if (!c) {
      return;
    }
    say(form.getAttribute('data-saving'));
    queue = queue.then(function () {
      return fetch(url, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ scores: [c] })
      });
    }).then(function (res) {
      if (!res.ok) {
        throw new Error('status ' + res.status);
      }
      return res.json();
    }).then(function (sheet) {
      tag(sheet.status);
      var time = clock.format(sheet.saved_at ? new Date(sheet.saved_at) : new Date());
      if (!en) {
        time = time.replace(':', '.');
      }
      say(form.getAttribute('data-saved').replace('{time}', time));
    }).catch(function () {
      say(form.getAttribute('data-failed'));
    });
  }

  // A comment field follows all the scales; data-cell names its criterion.
  function saveAfter(target, ms) {
    var fieldset = target.closest('fieldset.scoring-criterion') ||
      form.querySelector('fieldset.scoring-criterion[data-cell="' + target.getAttribute('data-cell') + '"]');
    if (!fieldset) {
      return;
    }
    clearTimeout(timers.get(fieldset));
    timers.set(fieldset, setTimeout(function () { save(fieldset); }, ms));
  }

  // count updates the criteria panel's "3 av 6 kriterier" from the form.
  var progress = document.getElementById('criteria-progress');
  var bar = document.getElementById('criteria-progress-bar');
  function count() {
    if (!progress) {
      return;
    }
    var done = 0;
    form.querySelectorAll('fieldset.scoring-criterion').forEach(function (fieldset) {
      var checked = fieldset.querySelector('input[type=radio]:checked');
      var number = fieldset.querySelector('input.scoring-number');
      if (checked ? checked.value !== '' : (number && number.value.trim() !== '')) {
        done++;
      }
    });
    progress.textContent = progress.getAttribute('data-template').replace('{done}', String(done));
    if (bar) {
      bar.value = done;
    }
  }

  // A picked score saves at once; typing saves when the juror pauses, and
  // leaving the field saves what is left.
  form.addEventListener('change', function (e) {
    count();
    saveAfter(e.target, 0);
  });
  form.addEventListener('input', function (e) {
    if (e.target.classList.contains('scoring-number')) {
      count();
    }
    if (e.target.tagName === 'TEXTAREA' || e.target.classList.contains('scoring-number')) {
      saveAfter(e.target, 1500);
    }
  });
}());
