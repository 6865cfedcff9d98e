// The calendar site: lists the chats embedded in #calendar-data by their next session in the
// reader's time zone. Session times come precomputed (UTC minutes, expanded by launchkit in
// each chat's own zone), so this script only picks the first one after the clock and formats
// it; it never works out a time zone rule itself. No network requests.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("calendar-data").textContent);
  var MINUTE = 60000;
  var PAGE = 50;
  var FILTER_WINDOW = 35 * 24 * 60 * MINUTE; // a day filter looks five weeks ahead
  var DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
  var DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var now = Date.now();
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your time zone";
  var shown = { q: "", day: "", from: "", to: "" };
  var limit = PAGE;
  var matches = [];
  var formats = {};

  function format(tz) {
    var key = tz || "";
    if (!formats[key]) {
      var options = { weekday: "short", month: "short", day: "numeric", hour: "numeric",
        minute: "2-digit", timeZoneName: "short" };
      if (tz) { options.timeZone = tz; }
      formats[key] = new Intl.DateTimeFormat(undefined, options);
    }
    return formats[key];
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function mondayIndex(date) { return (date.getDay() + 6) % 7; }

  function firstAtOrAfter(starts, minute) {
    var lo = 0, hi = starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] < minute) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  // The first session at or after `from` (ms) that passes the day and hour filters, and the
  // zone it is held in: {ms, tz}, ms Infinity when there is none.
  function nextStart(schedule, from, filtered) {
    var best = { ms: Infinity, tz: schedule.tz };
    var first = Math.ceil(from / MINUTE);
    schedule.sessions.forEach(function (session) {
      var starts = session.starts;
      for (var i = firstAtOrAfter(starts, first); i < starts.length; i++) {
        var ms = starts[i] * MINUTE;
        if (ms >= best.ms || (filtered && ms - from > FILTER_WINDOW)) { break; }
        if (!filtered || passes(new Date(ms))) {
          best = { ms: ms, tz: session.tz || schedule.tz };
          break;
        }
      }
    });
    return best;
  }

  function passes(local) {
    if (shown.day && DAYS[mondayIndex(local)] !== shown.day) { return false; }
    var hour = local.getHours();
    var from = shown.from === "" ? 0 : Number(shown.from);
    var to = shown.to === "" ? 24 : Number(shown.to);
    if (from === to || (from === 0 && to === 24)) { return true; }
    return from < to ? hour >= from && hour < to : hour >= from || hour < to;
  }

  var chats = data.chats.map(function (chat) {
    var text = [chat.hashtag, chat.name, chat.topic].filter(Boolean).join(" ");
    return { chat: chat, haystack: text.toLowerCase(), next: Infinity, tz: null };
  });

  // Chats in order of their next session for the current day and hour filters; worked out
  // again only when those change, so a keystroke in the search box only filters.
  var ordered = null;
  var orderedFor = null;

  function order() {
    var key = [shown.day, shown.from, shown.to].join("|");
    if (ordered && orderedFor === key) { return ordered; }
    var filtered = Boolean(shown.day || shown.from || shown.to);
    var bySchedule = {};
    ordered = [];
    chats.forEach(function (item) {
      var index = item.chat.schedule;
      if (index !== null && !(index in bySchedule)) {
        bySchedule[index] = nextStart(data.schedules[index], now, filtered);
      }
      item.next = index === null ? Infinity : bySchedule[index].ms;
      item.tz = index === null ? null : bySchedule[index].tz;
      if (!filtered || item.next !== Infinity) { ordered.push(item); }
    });
    ordered.sort(function (a, b) { return a.next - b.next || a.chat.row - b.chat.row; });
    orderedFor = key;
    return ordered;
  }

  function compute() {
    var words = shown.q.toLowerCase().split(/\s+/).filter(Boolean);
    matches = order().filter(function (item) {
      return words.every(function (w) { return item.haystack.indexOf(w) >= 0; });
    });
  }

  function iso(ms) { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"); }

  function whenBlock(chat, next, tz) {
    var block = el("div", "when");
    if (next === Infinity) {
      block.appendChild(el("span", "unknown", chat.schedule === null
        ? "Time not known"
        : "No session in the weeks this page covers"));
      return block;
    }
    var moment = new Date(next);
    var own = format(tz).format(moment) + " in " + tz + " (the chat's own time)";
    var time = el("time", null, format(null).format(moment));
    time.setAttribute("datetime", iso(next));
    time.title = own;
    block.appendChild(time);
    var toggle = el("button", "own-zone-toggle", "chat's own time");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var ownText = el("span", "own-zone", own);
    ownText.hidden = true;
    toggle.addEventListener("click", function () {
      ownText.hidden = !ownText.hidden;
      toggle.setAttribute("aria-expanded", String(!ownText.hidden));
    });
    block.appendChild(toggle);
    block.appendChild(ownText);
    return block;
  }

  function row(item) {
    var chat = item.chat;
    var node = el("li", "chat" + (chat.verdict === "stale" ? " stale" : ""));
    node.setAttribute("data-hashtag", chat.hashtag || "");
    node.setAttribute("data-row", String(chat.row));
    node.appendChild(whenBlock(chat, item.next, item.tz));
    var what = el("div", "what");
    var head = el("p", "head");
    head.appendChild(el("h3", null, chat.hashtag || chat.name || "Row " + chat.row));
    if (chat.hashtag && chat.name) { head.appendChild(el("span", "name", chat.name)); }
    if (chat.cadence) { head.appendChild(el("span", "cadence", chat.cadence)); }
    what.appendChild(head);
    if (chat.weeks_unknown) {
      what.appendChild(el("p", "note",
        "Every other week, but the calendar does not say which weeks: every possible week is shown."));
    }
    if (chat.topic) { what.appendChild(el("p", "topic", chat.topic)); }
    var listed = chat.schedule_text ? "As listed: \u201c" + chat.schedule_text + "\u201d" : "No schedule listed";
    what.appendChild(el("p", "listed", listed));
    if (chat.verdict && chat.verdict !== "active" && chat.verdict !== "unknown") {
      var why = chat.reasons.length ? ": " + chat.reasons.join("; ") : "";
      var audit = el("p", "audit");
      audit.appendChild(el("strong", null, chat.verdict === "stale" ? "Stale" : "Audit: " + chat.verdict));
      audit.appendChild(document.createTextNode(why + (data.audited_on ? " (audit of " + data.audited_on + ")" : "")));
      what.appendChild(audit);
    }
    var links = el("p", "links");
    if (chat.ics) {
      var add = el("a", null, "Add to calendar");
      add.href = chat.ics;
      add.setAttribute("download", "");
      add.setAttribute("aria-label", "Add " + (chat.hashtag || chat.name || "this chat") + " to your calendar");
      links.appendChild(add);
    }
    if (chat.link) {
      var site = el("a", null, "Website");
      site.href = chat.link;
      site.rel = "noopener";
      links.appendChild(site);
    }
    if (links.childNodes.length) { what.appendChild(links); }
    node.appendChild(what);
    return node;
  }

  function render() {
    var list = $("chats");
    var fragment = document.createDocumentFragment();
    matches.slice(0, limit).forEach(function (item) { fragment.appendChild(row(item)); });
    list.replaceChildren(fragment);
    var total = data.chats.length;
    var status = matches.length === total ? "All " + total + " chats" : matches.length + " of " + total + " chats";
    $("status").textContent = status + ", soonest first. Times in your time zone (" + readerZone + ").";
    $("more").hidden = matches.length <= limit;
    var withEvents = matches.filter(function (m) { return m.chat.events; }).length;
    $("add-all").textContent = "Add these " + withEvents + " chats to your calendar";
    $("add-all").disabled = withEvents === 0;
  }

  function update() {
    limit = PAGE;
    compute();
    render();
    var params = new URLSearchParams();
    Object.keys(shown).forEach(function (key) { if (shown[key]) { params.set(key, shown[key]); } });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    $("share").href = "#" + hash;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    shown.q = params.get("q") || "";
    shown.day = DAYS.indexOf(params.get("day")) >= 0 ? params.get("day") : "";
    shown.from = /^\d+$/.test(params.get("from") || "") ? String(Math.min(24, Number(params.get("from")))) : "";
    shown.to = /^\d+$/.test(params.get("to") || "") ? String(Math.min(24, Number(params.get("to")))) : "";
    $("q").value = shown.q;
    $("day").value = shown.day;
    $("from").value = shown.from;
    $("to").value = shown.to;
  }

  function addAll() {
    var seen = {};
    var zones = {};
    var events = [];
    matches.forEach(function (item) {
      var chat = item.chat;
      if (!chat.events || seen[chat.events]) { return; }
      seen[chat.events] = true;
      chat.zones.forEach(function (zone) { zones[zone] = true; });
      events.push(chat.events);
    });
    var text = data.calendar.head + Object.keys(zones).sort().map(function (zone) {
      return data.calendar.zones[zone];
    }).join("") + events.join("") + data.calendar.foot;
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    link.download = "chats.ics";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function heatmap() {
    var today = new Date(now);
    var ahead = (7 - mondayIndex(today)) % 7;
    var start = new Date(today.getFullYear(), today.getMonth(), today.getDate() + ahead);
    var end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7);
    var counts = [];
    for (var d = 0; d < 7; d++) { counts.push(new Array(24).fill(0)); }
    var users = {};
    data.chats.forEach(function (chat) {
      if (chat.schedule !== null) { users[chat.schedule] = (users[chat.schedule] || 0) + 1; }
    });
    Object.keys(users).forEach(function (index) {
      data.schedules[index].sessions.forEach(function (session) {
        if (session.weight === null) { return; }
        var starts = session.week || session.starts;
        for (var i = firstAtOrAfter(starts, start.getTime() / MINUTE); i < starts.length; i++) {
          if (starts[i] * MINUTE >= end.getTime()) { break; }
          var local = new Date(starts[i] * MINUTE);
          var offset = mondayIndex(local) * 1440 + local.getHours() * 60 + local.getMinutes();
          var last = Math.floor((offset + Math.max(1, session.minutes) - 1) / 60);
          for (var hour = Math.floor(offset / 60); hour <= last; hour++) {
            var slot = hour % 168;
            counts[Math.floor(slot / 24)][slot % 24] += session.weight * users[index];
          }
        }
      });
    });
    drawHeatmap(counts, start);
  }

  function drawHeatmap(counts, start) {
    var peak = Math.max.apply(null, counts.map(function (day) { return Math.max.apply(null, day); })) || 1;
    var table = $("heatmap");
    var caption = el("caption", null, "Chats per hour, week of " + start.toLocaleDateString(undefined,
      { year: "numeric", month: "short", day: "numeric" }) + ", in your time zone (" + readerZone + ")");
    table.appendChild(caption);
    var head = el("tr");
    head.appendChild(el("th", null, ""));
    for (var h = 0; h < 24; h++) {
      var th = el("th", null, String(h));
      th.scope = "col";
      head.appendChild(th);
    }
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    counts.forEach(function (day, d) {
      var tr = el("tr");
      var label = el("th", null, DAY_NAMES[d]);
      label.scope = "row";
      tr.appendChild(label);
      day.forEach(function (count, hour) {
        var value = Math.round(count * 100) / 100;
        var td = el("td", null, count >= 1 ? String(Math.round(count)) : count > 0 ? "~" : "");
        td.setAttribute("data-count", String(value));
        td.title = DAY_NAMES[d] + " " + String(hour).padStart(2, "0") + ":00: " + value + " chats";
        var t = Math.pow(Math.min(1, count / peak), 0.7);
        td.style.background = count ? "rgb(" + Math.round(255 - 66 * t) + "," + Math.round(237 * (1 - t)) + "," + Math.round(160 - 122 * t) + ")" : "#f4f4f4";
        td.style.color = t > 0.6 ? "#ffffff" : "#1b1b1b";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    $("heatmap-note").textContent = "Fortnightly and monthly chats count by how often they run (~ means less than one a week).";
  }

  function setUp() {
    ["from", "to"].forEach(function (id) {
      for (var h = 0; h <= 24; h++) {
        var option = el("option", null, String(h).padStart(2, "0") + ":00");
        option.value = String(h);
        $(id).appendChild(option);
      }
    });
    $("start-commands").textContent = "launchkit slots --tz " + readerZone +
      " --topic \"your topic\"\nlaunchkit init my-chat";
    if (now > Date.parse(data.until)) {
      $("stale-page").hidden = false;
      $("stale-page").textContent = "This page's times run out on " + data.until.slice(0, 10) +
        ": ask its keeper to rebuild it (launchkit calendar site).";
    }
    $("q").addEventListener("input", function (event) {
      shown.q = event.target.value;
      measured(event, update);
    });
    ["day", "from", "to"].forEach(function (id) {
      $(id).addEventListener("change", function (event) {
        shown[id] = event.target.value;
        measured(event, update);
      });
    });
    $("more").addEventListener("click", function () { limit += PAGE; render(); });
    $("add-all").addEventListener("click", addAll);
    window.addEventListener("hashchange", function () { readHash(); limit = PAGE; compute(); render(); });
  }

  // The time from a keystroke to the list on screen, for anyone profiling the page.
  function measured(event, work) {
    var started = event.timeStamp;
    work();
    performance.measure("lk-filter", { start: started, end: performance.now() });
    requestAnimationFrame(function () {
      setTimeout(function () { performance.measure("lk-filter-painted", { start: started }); }, 0);
    });
  }

  setUp();
  readHash();
  compute();
  render();
  performance.mark("lk-first-rows");
  heatmap();
})();
