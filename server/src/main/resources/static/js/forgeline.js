// Progressive enhancement: the pages work without this file. With it, tables marked data-chart become
// Chart.js charts (the table stays, folded, as the accessible data), and the page's one live stream
// (server-sent events; the browser reconnects with Last-Event-ID) refreshes the regions that listen to a topic.
(function () {
  'use strict';

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function drawChart(table) {
    if (!window.Chart || table.dataset.drawn) return;
    table.dataset.drawn = 'true';
    var series = Array.prototype.slice.call(table.querySelectorAll('thead th')).slice(1).map(function (th) { return th.textContent.trim(); });
    var rows = table.querySelectorAll('tbody tr');
    var labels = [];
    var values = series.map(function () { return []; });
    rows.forEach(function (row) {
      labels.push(row.querySelector('th, td').textContent.trim());
      row.querySelectorAll('td[data-value]').forEach(function (td, i) { if (values[i]) values[i].push(Number(td.dataset.value)); });
    });
    var colours = [css('--chart-1'), css('--chart-2'), css('--chart-3'), css('--chart-4')];
    var stacked = table.dataset.stacked === 'true';
    var unit = table.dataset.unit ? ' ' + table.dataset.unit : '';
    var box = document.createElement('div');
    box.className = 'chart';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    var caption = table.querySelector('caption');
    canvas.setAttribute('aria-label', caption ? caption.textContent.trim() : 'chart');
    box.appendChild(canvas);
    var details = document.createElement('details');
    var summary = document.createElement('summary');
    summary.textContent = 'Show the data as a table';
    table.parentNode.insertBefore(box, table);
    table.parentNode.insertBefore(details, table);
    details.appendChild(summary);
    details.appendChild(table);
    Chart.defaults.color = css('--muted');
    Chart.defaults.borderColor = css('--border');
    new Chart(canvas, {
      type: table.dataset.chart || 'bar',
      data: {
        labels: labels,
        datasets: series.map(function (name, i) {
          return { label: name, data: values[i], backgroundColor: colours[i % colours.length], borderColor: colours[i % colours.length] };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: series.length > 1 },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + c.formattedValue + unit; } } } },
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } }
      }
    });
  }

  function drawCharts(root) {
    root.querySelectorAll('table[data-chart]').forEach(drawChart);
  }

  function refresh(topic) {
    document.querySelectorAll('[data-refresh-on]').forEach(function (region) {
      if (region.dataset.refreshOn.split(' ').indexOf(topic) < 0 || !region.id || !window.htmx) return;
      htmx.ajax('GET', region.dataset.refreshUrl || location.pathname + location.search,
        { target: '#' + region.id, select: '#' + region.id, swap: 'outerHTML' });
    });
  }

  function listen(page) {
    var status = document.getElementById('live-status');
    var setStatus = function (text, on) { if (status) { status.textContent = text; status.classList.toggle('on', on); } };
    var source = new EventSource('/live/' + encodeURIComponent(page));
    source.addEventListener('ready', function () { setStatus('live', true); });
    source.onerror = function () { setStatus('reconnecting', false); };
    ['delivery', 'metrics', 'alert'].forEach(function (topic) {
      source.addEventListener(topic, function () { refresh(topic); });
    });
    source.addEventListener('reload', function () { ['delivery', 'metrics', 'alert'].forEach(refresh); });
    window.addEventListener('pagehide', function () { source.close(); });
  }

  function xsrf() {
    var cookie = document.cookie.split('; ').filter(function (c) { return c.indexOf('XSRF-TOKEN=') === 0; })[0];
    return cookie ? decodeURIComponent(cookie.substring(11)) : null;
  }

  // Reports: ask the reports API for one, then ask again each second until the file is there to download.
  function requestReport(form) {
    var status = form.parentNode.querySelector('.report-status');
    var say = function (text) { status.textContent = text; };
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (xsrf()) headers['X-XSRF-TOKEN'] = xsrf();
    var body = { scope: form.dataset.scope, team: form.dataset.team || null, from: form.from.value, to: form.to.value, format: form.format.value };
    say('Requesting…');
    fetch(form.dataset.reportUrl, { method: 'POST', credentials: 'same-origin', headers: headers, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
      .then(function (answer) {
        if (!answer.ok) { say('Refused: ' + (answer.json.detail || 'error')); return; }
        say('Being made…');
        var poll = function () {
          fetch(answer.json.url, { credentials: 'same-origin' }).then(function (r) {
            var json = (r.headers.get('Content-Type') || '').indexOf('json') >= 0;
            if (r.status === 200 && !json) {
              status.textContent = '';
              var link = document.createElement('a');
              link.href = answer.json.url;
              link.className = 'button report-download';
              link.textContent = 'Download the ' + body.format.toUpperCase() + ' report';
              link.setAttribute('download', '');
              status.appendChild(link);
            } else if (r.status === 200) {
              r.json().then(function (s) { say('The report failed: ' + (s.error || 'unknown error')); });
            } else if (r.status === 202) {
              setTimeout(poll, 1000);
            } else {
              say('The report could not be read (' + r.status + ')');
            }
          });
        };
        poll();
      })
      .catch(function () { say('The report could not be requested.'); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form.report-form').forEach(function (form) {
      form.addEventListener('submit', function (e) { e.preventDefault(); requestReport(form); });
    });
    // A request that changes something carries the CSRF token: the cookie's value in the header the page names.
    var header = document.querySelector('meta[name="csrf-header"]');
    document.body.addEventListener('htmx:configRequest', function (e) {
      if (header && xsrf() && e.detail.verb !== 'get') e.detail.headers[header.content] = xsrf();
    });
    document.body.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target.ownerDocument || document); });
    drawCharts(document);
    if (document.body.dataset.live && window.EventSource) listen(document.body.dataset.live);
  });
})();
