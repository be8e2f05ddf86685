// The site's behaviour, from its own static files: the Content-Security-Policy allows no inline script
// and no inline event handler (onclick=…). A page asks for behaviour with data- attributes.
"use strict";

// 打印: <button type="button" data-print>打印</button>
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
