// Progressive enhancement only: every page works without this file, except the evidence upload's progress bar and
// the live status of a pack being rendered (without it, reloading the page shows the current status).
'use strict';

// Uploads evidence to the API route with the session's CSRF token in the header, showing progress as it goes.
function enhanceUpload(form) {
  var progress = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    // An optional field left blank is not sent at all: the API reads "" as a value, and an invalid one.
    Array.from(data.keys()).forEach(function (key) {
      if (data.get(key) === '') data.delete(key);
    });
    data.delete('_csrf');
    var xhr = new XMLHttpRequest();
    // The API route answers JSON for this script; the form's own action is the no-JavaScript route (a redirect).
    xhr.open('POST', form.dataset.apiAction || form.action);
    xhr.setRequestHeader('x-csrf-token', form.dataset.csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'Uploading…';
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', function () {
      var body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (ignored) {
        body = {};
      }
      if (xhr.status === 201) {
        progress.value = 100;
        status.textContent =
          'Upload finished: "' +
          body.title +
          '" stored with SHA-256 ' +
          body.sha256.slice(0, 12) +
          '…, waiting for review.';
        addEvidenceRow(body);
        form.reset();
      } else {
        status.textContent = 'The upload was refused: ' + (body.message || 'HTTP ' + xhr.status);
      }
    });
    xhr.addEventListener('error', function () {
      status.textContent = 'The upload failed: the connection was lost. Try again.';
    });
    xhr.send(data);
  });
}

// A checkbox list with a search box (shown only when this script runs): typing hides the controls whose code and
// title do not contain every word typed; ticked boxes always stay visible.
function enhancePicker(picker) {
  var filter = picker.querySelector('.picker-filter');
  var input = picker.querySelector('input[type=search]');
  if (!filter || !input) return;
  filter.hidden = false;
  input.addEventListener('input', function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(picker.querySelectorAll('.picker-list label'), function (label) {
      var text = label.textContent.toLowerCase();
      var box = label.querySelector('input');
      label.hidden =
        !(box && box.checked) &&
        !words.every(function (w) {
          return text.indexOf(w) !== -1;
        });
    });
  });
}

// Text only (textContent), never HTML, so a title cannot inject markup.
function addEvidenceRow(evidence) {
  var body = document.querySelector('#evidence-table tbody');
  if (!body) return;
  var empty = body.querySelector('.empty-row');
  if (empty) empty.remove();
  var row = document.createElement('tr');
  [
    evidence.title,
    evidence.controlCodes.join(', '),
    evidence.sha256.slice(0, 12),
    evidence.collectedAt.slice(0, 10),
    'not yet accepted',
    evidence.reviewStatus,
  ].forEach(function (text, index) {
    var cell = document.createElement('td');
    if (index === 0) {
      var link = document.createElement('a');
      link.href = '/evidence/' + encodeURIComponent(evidence.id);
      link.textContent = text;
      cell.appendChild(link);
    } else {
      cell.textContent = text;
    }
    row.appendChild(cell);
  });
  body.insertBefore(row, body.firstChild);
}

// Polls the pack's API status every second while it is queued or rendering; once ready the download links appear,
// once failed the page reloads to show the error. Gives up quietly after ten minutes (a reload resumes it).
function followPack(status) {
  var id = status.dataset.packId;
  var deadline = Date.now() + 10 * 60 * 1000;
  function show(state) {
    status.textContent = state;
    status.dataset.packStatus = state;
    status.className = 'status pack-' + state;
  }
  function poll() {
    fetch('/api/v1/packs/' + encodeURIComponent(id), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (pack) {
        if (pack) show(pack.status);
        if (pack && pack.status === 'ready') {
          var downloads = document.getElementById('pack-downloads');
          var hint = document.getElementById('pack-pending-hint');
          if (downloads) downloads.hidden = false;
          if (hint) hint.remove();
        } else if (pack && pack.status === 'failed') {
          window.location.reload();
        } else if (Date.now() < deadline) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        if (Date.now() < deadline) window.setTimeout(poll, 1000);
      });
  }
  window.setTimeout(poll, 1000);
}

// Keeps the incident countdowns current (the page renders them; this only re-counts): the same words as the server,
// red under 24 hours or once overdue.
function tickCountdowns() {
  var DAY = 86400000;
  function duration(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    if (days > 0) return days + ' d ' + hours + ' h';
    if (hours > 0) return hours + ' h ' + String(minutes % 60).padStart(2, '0') + ' min';
    return (minutes % 60) + ' min';
  }
  function tick() {
    Array.prototype.forEach.call(document.querySelectorAll('.countdown[data-due]'), function (el) {
      var left = Number(el.dataset.due) - Date.now();
      el.textContent = left < 0 ? 'overdue by ' + duration(-left) : duration(left) + ' left';
      el.classList.toggle('urgent', left < DAY);
    });
  }
  tick();
  window.setInterval(tick, 30000);
}

document.addEventListener('DOMContentLoaded', function () {
  // The error summary of a form shown again takes focus, so a screen reader reads it first (autofocus does it too).
  var summary = document.querySelector('#form-errors[tabindex]');
  if (summary) summary.focus();
  if (document.querySelector('.countdown[data-due]')) tickCountdowns();
  var upload = document.getElementById('evidence-upload');
  if (upload) enhanceUpload(upload);
  Array.prototype.forEach.call(document.querySelectorAll('.control-picker'), enhancePicker);
  var packStatus = document.getElementById('pack-status');
  if (packStatus && /^(queued|rendering)$/.test(packStatus.dataset.packStatus || '')) followPack(packStatus);
});
