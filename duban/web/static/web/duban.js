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

// 立项: show only the chosen source kind's fields. <form data-source-form> holds radio inputs named
// "kind" and one <fieldset data-source-kind="…"> a kind; without script every fieldset stays shown.
function showSourceKind(form) {
  var chosen = form.querySelector("input[name=kind]:checked");
  form.querySelectorAll("[data-source-kind]").forEach(function (fieldset) {
    fieldset.hidden = !chosen || fieldset.getAttribute("data-source-kind") !== chosen.value;
  });
}

// 机构名录 picker: an <input data-unit-picker list="unit-directory"> holding names separated by 、
// becomes chips and a search box over the directory's <datalist>; the input keeps the names it posts.
function unitPicker(input) {
  var directory = document.getElementById(input.getAttribute("list"));
  var known = {};
  if (directory) {
    directory.querySelectorAll("option").forEach(function (option) {
      known[option.value] = true;
      if (option.textContent) known[option.textContent.trim()] = option.value;
    });
  }
  var box = document.createElement("span");
  box.className = "unit-picker";
  var chips = document.createElement("span");
  chips.className = "unit-chips";
  var search = document.createElement("input");
  search.type = "search";
  search.className = "unit-search";
  search.setAttribute("list", input.getAttribute("list"));
  search.setAttribute("placeholder", "输入单位名称或简称搜索");
  search.setAttribute("aria-label", (input.labels && input.labels[0] ? input.labels[0].textContent : "单位") + "搜索");
  var add = document.createElement("button");
  add.type = "button";
  add.className = "secondary small";
  add.textContent = "添加";

  function names() {
    return input.value.split(/[、，,；;\n]+/).map(function (n) { return n.trim(); }).filter(Boolean);
  }
  function render() {
    chips.textContent = "";
    names().forEach(function (name) {
      var chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = name;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.setAttribute("aria-label", "移除" + name);
      remove.textContent = "×";
      remove.addEventListener("click", function () {
        input.value = names().filter(function (n) { return n !== name; }).join("、");
        render();
      });
      chip.appendChild(remove);
      chips.appendChild(chip);
    });
  }
  function take() {
    var name = search.value.trim();
    if (!name) return;
    if (typeof known[name] === "string") name = known[name];  // a short name: its unit's full name
    if (names().indexOf(name) < 0) input.value = names().concat([name]).join("、");
    search.value = "";
    render();
  }
  add.addEventListener("click", take);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      take();
    }
  });
  search.addEventListener("change", function () {
    if (known[search.value.trim()]) take();
  });
  input.hidden = true;
  input.removeAttribute("list");
  box.appendChild(chips);
  box.appendChild(search);
  box.appendChild(add);
  input.parentNode.insertBefore(box, input.nextSibling);
  render();
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-source-form]").forEach(function (form) {
    showSourceKind(form);
    form.addEventListener("change", function (event) {
      if (event.target instanceof Element && event.target.getAttribute("name") === "kind") showSourceKind(form);
    });
  });
  document.querySelectorAll("input[data-unit-picker]").forEach(unitPicker);
});
