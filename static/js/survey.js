// Survey pages: warn before leaving a page with answers that were not saved yet.
// No inline scripts (the Content-Security-Policy forbids them); this file is loaded with defer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-unsaved-warning]");
  if (!form) { return; }
  var dirty = false;
  // Evidence inputs sit inside the survey's form but belong to forms of their own (their
  // `form` attribute): choosing a file there is not an unsaved answer.
  function mark(event) { if (event.target.form === form) { dirty = true; } }
  form.addEventListener("change", mark);
  form.addEventListener("input", mark);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
}());

// Notes: say how long a note is once it gets near the limit (the server refuses longer ones,
// and a maxlength attribute would cut pasted text silently).
(function () {
  "use strict";
  var notes = document.querySelectorAll("textarea[data-max]");
  Array.prototype.forEach.call(notes, function (area) {
    var max = parseInt(area.getAttribute("data-max"), 10);
    var counter = document.createElement("p");
    counter.className = "hint counter";
    counter.id = area.id + "-count";
    counter.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(counter, area.nextSibling);
    function update() {
      var n = area.value.length;
      if (n < max * 0.9) {
        counter.textContent = "";
        counter.classList.remove("error");
        return;
      }
      counter.textContent = n.toLocaleString() + " of " + max.toLocaleString() + " characters" +
        (n > max ? ": too long, shorten it by " + (n - max).toLocaleString() + "." : ".");
      counter.classList.toggle("error", n > max);
    }
    area.addEventListener("input", update);
    update();
  });
}());

// After "Save and next": the new area's heading takes the focus (a screen reader reads where
// it is), and the "Saved" message is put into its live region again so that it is announced
// (a live region's text present at load is not).
(function () {
  "use strict";
  var heading = document.getElementById("area-title");
  var saved = document.querySelector(".flash-success[role=status]");
  if (!heading || !saved) { return; }
  heading.focus();
  var text = saved.textContent;
  saved.textContent = "";
  window.setTimeout(function () { saved.textContent = text; }, 150);
}());
