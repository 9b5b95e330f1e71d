// Badge builder: live preview while typing (progressive enhancement; the form works without it).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("builder");
  if (!form) return;
  // Changing the family loads its fields with the "Show its fields" button: no reload on
  // each arrow key in the list (a change of context on input would trap keyboard users).
  var family = document.getElementById("family");

  var timer = null;
  var seq = 0;
  function params() {
    var data = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value !== "") data.append(el.name, el.value);
    });
    return data;
  }
  function show(result) {
    document.getElementById("preview").src = result.path;
    Object.keys(result.snippets).forEach(function (kind) {
      var box = document.getElementById("snippet-" + kind);
      if (box) box.value = result.snippets[kind];
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (wrap) {
      var name = wrap.getAttribute("data-field");
      var message = result.errors[name] || "";
      var error = document.getElementById("f-" + name + "-error");
      var input = document.getElementById("f-" + name);
      if (error) error.textContent = message;
      wrap.classList.toggle("has-error", !!message);
      if (input) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("img[data-variant]"), function (img) {
      var table = img.getAttribute("data-variant") === "style" ? result.styles : result.themes;
      var url = table[img.getAttribute("data-name")];
      if (url && img.getAttribute("src") !== url) img.src = url;
    });
    var count = Object.keys(result.errors).length;
    document.getElementById("status").textContent =
      count ? count + " field" + (count > 1 ? "s need" : " needs") + " attention." : "Looks good.";
    var query = params();
    history.replaceState(null, "", form.getAttribute("action") + "?" + query.toString());
  }
  function update() {
    var mine = ++seq;
    fetch(form.getAttribute("data-check") + "?" + params().toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    })
      .then(function (response) { return response.json(); })
      .then(function (result) { if (mine === seq) show(result); })
      .catch(function () { /* the form still works by submitting it */ });
  }
  form.addEventListener("input", function (event) {
    if (event.target === family) return;
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var loading = submitter && submitter.hasAttribute("data-load-family") &&
      (document.activeElement === submitter || document.activeElement === family);
    if (loading) return;  // a real submit: the page comes back with the family's fields
    event.preventDefault();
    update();
  });

  function copy(button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    var text = box.value;
    var done = function () {
      var old = button.firstChild.nodeValue;
      button.firstChild.nodeValue = "Copied";
      setTimeout(function () { button.firstChild.nodeValue = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { box.select(); });
    } else {
      box.focus();
      box.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* selected for Ctrl+C */ }
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
