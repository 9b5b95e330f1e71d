// Live badge page: updates the badges from WS /ws/live/{provider}/{subject}?metrics=...
// (progressive enhancement: without JavaScript the page shows the current badges).
(function () {
  "use strict";
  var list = document.getElementById("live-badges");
  var status = document.getElementById("live-status");
  if (!list || !status || !window.WebSocket) return;
  var path = list.getAttribute("data-socket");
  var items = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-topic]"), function (li) {
    items[li.getAttribute("data-topic")] = li;
  });
  var delay = 1000;

  function say(text) { status.textContent = text; }
  function time(iso) {
    var when = new Date(iso);
    return isNaN(when) ? "" : when.toLocaleTimeString();
  }
  function show(message) {
    var li = items[message.topic];
    if (!li) return;
    if (message.type === "error") {
      li.querySelector(".live-error").textContent = message.detail || message.error;
      return;
    }
    li.querySelector(".live-error").textContent = "";
    li.querySelector(".live-value").textContent = message.display;
    li.querySelector(".live-time").textContent =
      (message.stale ? "stale, " : "") + "fetched " + time(message.fetched_at);
    if (li.getAttribute("data-display") !== String(message.display)) {
      var badge = message.badge || li.getAttribute("data-badge");
      // a new URL so the browser draws the new value instead of its cached image
      li.querySelector("img").src = badge + "?live=" + encodeURIComponent(message.fetched_at);
      li.setAttribute("data-display", String(message.display));
    }
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + path);
    ws.onopen = function () { delay = 1000; say("Live: connected, badges update as values change."); };
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "value" || message.type === "error") show(message);
      else if (message.type === "heartbeat") say("Live: connected (last heartbeat " + time(message.at) + ").");
    };
    ws.onclose = function () {
      say("Live updates paused; reconnecting in " + Math.round(delay / 1000) + " s.");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    };
  }
  connect();
})();
