// Knowledge checks that mark themselves in the browser: no kernel, no network.
(function () {
  "use strict";

  function explain(input) {
    var right = input.dataset.correct === "true";
    var text = input.parentElement.textContent.trim();
    return (right ? "✔ " : "✘ ") + text + " — " + input.dataset.why;
  }

  function show(box, ok, lines) {
    var out = box.querySelector(".smm-kc-feedback");
    out.className = "smm-kc-feedback " + (ok ? "smm-kc-right" : "smm-kc-wrong");
    out.innerHTML = "";
    var head = document.createElement("strong");
    head.textContent = ok ? "Correct." : "Not quite.";
    out.appendChild(head);
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      out.appendChild(p);
    });
  }

  function markSingle(box, input) {
    show(box, input.dataset.correct === "true", [explain(input)]);
  }

  function markMulti(box) {
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input"));
    var chosen = inputs.filter(function (i) { return i.checked; });
    var ok = inputs.every(function (i) {
      return i.checked === (i.dataset.correct === "true");
    });
    var lines = chosen.map(explain);
    var missed = inputs.some(function (i) { return !i.checked && i.dataset.correct === "true"; });
    if (missed) { lines.push("At least one right answer is not selected yet."); }
    show(box, ok, lines);
  }

  function init(box) {
    if (box.dataset.multi === "true") {
      box.querySelector(".smm-kc-check").addEventListener("click", function () { markMulti(box); });
    } else {
      box.querySelectorAll("input").forEach(function (input) {
        input.addEventListener("change", function () { markSingle(box, input); });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".smm-kc").forEach(init);
  });
})();
