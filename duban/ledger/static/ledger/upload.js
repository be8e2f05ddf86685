// 上传公文: the progress page polls its job's state (a small JSON view) while the worker reads the file,
// moves the <progress> bar and the stages, and goes on to 公文审核 when the drafts are there. No inline
// script or style: the Content-Security-Policy refuses them.
"use strict";

(function () {
  var section = document.querySelector("[data-upload-job]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-upload-job");
  var bar = section.querySelector("[data-job-progress]");
  var refresh = section.querySelector("[data-job-refresh]");
  if (refresh) {
    refresh.classList.add("hidden"); // the script refreshes; the link is for browsers without it
  }

  function text(selector, value) {
    var element = section.querySelector(selector);
    if (element) {
      element.textContent = value;
    }
  }

  function show(state) {
    section.setAttribute("data-state", state.state);
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    text("[data-job-state]", state.state_label);
    text("[data-job-percent]", state.progress + "%");
    text("[data-job-documents]", state.documents + " 件");
    text("[data-job-tasks]", state.tasks + " 项");
    text("[data-job-units]", state.units_resolved + " / " + state.units_printed + " 个已对应机构名录");
    text("[data-job-message]", state.message);
    var message = section.querySelector("[data-job-message]");
    message.classList.toggle("failed", state.state === "failed");
    state.stages.forEach(function (stage) {
      var item = section.querySelector('[data-stage="' + stage.code + '"]');
      if (item) {
        item.classList.toggle("done", stage.done);
        item.classList.toggle("current", stage.current);
      }
    });
    if (state.next_url) {
      var next = section.querySelector("[data-job-next]");
      next.href = state.next_url;
      next.classList.remove("hidden");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.state === "done" && state.next_url) {
          window.setTimeout(function () {
            window.location.assign(state.next_url);
          }, 1200);
        } else if (!state.finished) {
          window.setTimeout(poll, 500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }

  poll();
})();
