// Theme editor: redraw the five previews as fields change (the form saves without it).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("theme-form");
  if (!form) return;
  var timer = null;
  function value(name) {
    var el = form.elements[name];
    return el ? String(el.value || "").trim() : "";
  }
  function number(name) {
    var v = value(name);
    return v === "" ? null : Number(v);
  }
  function doc() {
    var d = { name: value("name") || "preview" };
    ["palette", "label_color", "color", "text_color", "logo_color", "shadow", "font_family"].forEach(function (k) {
      if (value(k)) d[k] = value(k);
    });
    var stops = [];
    for (var i = 0; i < 8; i++) {
      var off = number("gradient-" + i + "-offset"), col = value("gradient-" + i + "-color");
      if (off === null && !col) continue;
      var stop = { offset: off === null ? 0 : off };
      if (col) stop.color = col;
      var op = number("gradient-" + i + "-opacity");
      if (op !== null) stop.opacity = op;
      stops.push(stop);
    }
    if (stops.length) d.gradient = stops;
    if (number("background_opacity") !== null) d.background_opacity = number("background_opacity");
    d.crisp = !!(form.elements.crisp && form.elements.crisp.checked);
    if (number("border_width") !== null) {
      d.border = { width: number("border_width") };
      if (value("border_color")) d.border.color = value("border_color");
    }
    if (number("glow_radius") !== null) {
      d.glow = { radius: number("glow_radius") };
      if (value("glow_color")) d.glow.color = value("glow_color");
    }
    var dark = {};
    ["label_color", "color", "text_color", "border_color"].forEach(function (k) {
      if (value("dark_" + k)) dark[k] = value("dark_" + k);
    });
    if (Object.keys(dark).length) d.dark = dark;
    d.animation = { effect: value("animation_effect") || "pulse" };
    if (number("animation_duration") !== null) d.animation.duration = number("animation_duration");
    return d;
  }
  function update() {
    var text = JSON.stringify(doc());
    Array.prototype.forEach.call(document.querySelectorAll("img.theme-preview"), function (img) {
      var url = form.getAttribute("data-preview") + "?style=" + encodeURIComponent(img.getAttribute("data-style")) +
        "&doc=" + encodeURIComponent(text);
      img.src = url;
    });
  }
  // A colour picker beside each hex input (the text input stays the value that is sent).
  function sixDigits(hex) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return null;
    var h = m[1];
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    return "#" + h.toLowerCase();
  }
  Array.prototype.forEach.call(form.querySelectorAll(".color-field input[type=text], .color-field input:not([type])"), function (text) {
    var picker = document.createElement("input");
    picker.type = "color";
    picker.className = "picker";
    var label = form.querySelector("label[for='" + text.id + "']");
    picker.setAttribute("aria-label", "Pick " + (label ? label.textContent : "a colour"));
    picker.value = sixDigits(text.value) || "#000000";
    var row = document.createElement("div");
    row.className = "color-row";
    text.parentNode.insertBefore(row, text);
    row.appendChild(text);
    row.appendChild(picker);
    picker.addEventListener("input", function () {
      text.value = picker.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
    text.addEventListener("input", function () {
      var v = sixDigits(text.value);
      if (v) picker.value = v;
    });
  });

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 50);
  });
  update();
})();
