// "Copy" buttons: <button data-copy="ELEMENT_ID" hidden> copies that element's text. The button
// stays hidden where the browser cannot copy (no Clipboard API, e.g. a page not on https or
// localhost); the text can still be selected by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var said = button.parentNode.querySelector(".copied");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (said) { said.textContent = "Copied."; }
      }, function () {
        if (said) { said.textContent = "Could not copy: select the link and copy it by hand."; }
      });
    });
  });
}());
