/* Progress of background work (an upload being read, checked or written; an export being made).
 *
 * A page holds <div class="job" data-progress-url="…"> with a <progress> and a
 * <span class="job-text">. The URL answers JSON:
 *   {"finished": bool, "done": n, "total": n, "text": "…", "redirect": "url or empty"}
 * Polled every second while not finished; when finished the page goes to `redirect`, or reloads to
 * show the result. Network faults are retried; a refusal (403/404) stops and says so.
 */
(function () {
  "use strict";

  function poll(job) {
    var bar = job.querySelector("progress");
    var text = job.querySelector(".job-text");
    var url = job.getAttribute("data-progress-url");

    function show(state) {
      if (bar) {
        if (state.total > 0) {
          bar.max = state.total;
          bar.value = Math.min(state.done || 0, state.total);
        } else {
          bar.removeAttribute("value"); // an indeterminate bar until the total is known
        }
      }
      if (text && state.text) text.textContent = state.text;
    }

    function again(delay) { window.setTimeout(tick, delay); }

    function tick() {
      var request = new XMLHttpRequest();
      request.open("GET", url);
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (request.status !== 200) {
          if (text) text.textContent = job.getAttribute("data-lost-text") || request.statusText;
          if (request.status >= 500) again(3000);
          return;
        }
        var state;
        try { state = JSON.parse(request.responseText); } catch (e) { again(3000); return; }
        show(state);
        if (state.finished) {
          if (state.redirect) window.location.assign(state.redirect);
          else window.location.reload();
        } else {
          again(1000);
        }
      };
      request.onerror = function () { again(3000); };
      request.send();
    }

    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var jobs = document.querySelectorAll("[data-progress-url]");
    for (var i = 0; i < jobs.length; i++) poll(jobs[i]);
  });
})();
