// Counting page of an inventory campaign (phone first).
//
// Every entry (scanned or typed) gets a client id and goes into a queue kept in localStorage
// before it is sent: on flaky Wi-Fi nothing is lost, and the server records an entry once
// whatever the number of retries. The camera decodes QR codes with the browser's
// BarcodeDetector when it has one, otherwise with the vendored jsQR on canvas frames.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("count-config").textContent);
  var texts = config.texts;
  var queueKey = "dpti.campaign." + config.campaign + ".queue";
  var roomKey = "dpti.campaign." + config.campaign + ".room";
  var formToken = document.querySelector("#scan-form input[name=csrfmiddlewaretoken]").value;
  var page = document.getElementById("count-page");
  var roomSelect = document.getElementById("room-select");
  var roomFilter = document.getElementById("room-filter");
  var scanForm = document.getElementById("scan-form");
  var codeInput = document.getElementById("scan-code");
  var newItemForm = document.getElementById("new-item-form");
  var feedback = document.getElementById("scan-feedback");
  var queueStatus = document.getElementById("queue-status");
  var recent = document.getElementById("recent-entries");
  var roomItems = document.getElementById("room-items");
  var allOptions = Array.prototype.slice.call(roomSelect.options);
  var sending = false;
  var lastEntryId = null;

  document.documentElement.classList.add("js-enabled");

  function format(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return params[name] === undefined ? match : params[name];
    });
  }

  // crypto.randomUUID needs HTTPS; getRandomValues works on the intranet's plain HTTP too.
  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Queue -------------------------------------------------------------------------------------
  function loadQueue() {
    try {
      return JSON.parse(window.localStorage.getItem(queueKey) || "[]");
    } catch (error) {
      return [];
    }
  }
  var queue = loadQueue();

  function saveQueue() {
    try {
      window.localStorage.setItem(queueKey, JSON.stringify(queue));
    } catch (error) {
      /* private mode: the queue lives in memory only */
    }
    var waiting = queue.length;
    queueStatus.hidden = waiting === 0;
    document.getElementById("queue-text").textContent =
      waiting === 1 ? texts.waitingOne : format(texts.waitingMany, { count: waiting });
  }

  function showFeedback(level, message) {
    feedback.className = "alert feedback mt-3 mb-0 alert-" + level;
    feedback.dataset.level = level;
    feedback.textContent = message;
    feedback.hidden = false;
  }

  function remember(level, message) {
    var line = document.createElement("li");
    var icon = { success: "ti-circle-check text-success", warning: "ti-alert-triangle text-warning",
      danger: "ti-circle-x text-danger", info: "ti-info-circle text-info" }[level] || "ti-point";
    line.innerHTML = '<i class="ti ' + icon + ' me-1" aria-hidden="true"></i>';
    line.appendChild(document.createTextNode(message));
    recent.insertBefore(line, recent.firstChild);
    while (recent.children.length > 5) recent.removeChild(recent.lastChild);
  }

  function answer(entry, level, message) {
    remember(level, message);
    if (entry.client_id === lastEntryId || queue.length === 0) showFeedback(level, message);
  }

  // The cookie holds the current token even after a sign-in in another tab rotated it.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : formToken;
  }

  function send(entry) {
    return fetch(config.scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(entry),
    });
  }

  // Sends the queue in order; stops at the first network failure and keeps the rest.
  function flush() {
    if (sending || queue.length === 0) return Promise.resolve();
    sending = true;
    var refresh = false;
    function next() {
      if (queue.length === 0) return Promise.resolve();
      var entry = queue[0];
      return send(entry).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var isJson = type.indexOf("application/json") !== -1;
        if (!isJson && (response.status === 400 || response.status === 404)) {
          // The campaign is gone or the entry unreadable: retrying would not help.
          queue.shift();
          saveQueue();
          answer(entry, "danger", texts.refused);
          return next();
        }
        // A sign-in page (redirect) or a refused security token (403 page): the session
        // changed. The entries stay on the device until the agent signs in and reloads.
        if (response.redirected || !isJson) {
          showFeedback("warning", response.status >= 500 ? texts.queued : texts.session);
          return null;
        }
        return response.json().then(function (data) {
          if (response.ok) {
            queue.shift();
            saveQueue();
            refresh = refresh || String(entry.room) === roomSelect.value;
            answer(entry, data.level, data.message);
            return next();
          }
          if (response.status >= 500) {
            showFeedback("warning", texts.queued);
            return null;
          }
          // Refused (no right, closed campaign, bad entry): retrying would not help.
          queue.shift();
          saveQueue();
          answer(entry, "danger", data.message || texts.refused);
          return next();
        });
      }, function () {
        showFeedback("warning", texts.queued);
      });
    }
    return next().then(function () {
      sending = false;
      saveQueue();
      if (refresh) loadRoom(roomSelect.value);
    }, function () {
      sending = false;
    });
  }

  function enqueue(fields) {
    if (!roomSelect.value) {
      showFeedback("warning", texts.chooseRoom);
      return false;
    }
    var entry = Object.assign({ client_id: uuid4(), room: roomSelect.value }, fields);
    lastEntryId = entry.client_id;
    queue.push(entry);
    saveQueue();
    flush();
    return true;
  }

  // Rooms -------------------------------------------------------------------------------------
  function roomByCode(code) {
    var wanted = code.trim().toUpperCase();
    for (var i = 0; i < config.rooms.length; i++) {
      if (config.rooms[i].code.toUpperCase() === wanted) return config.rooms[i];
    }
    return null;
  }

  function loadRoom(roomId) {
    if (!roomId) return;
    fetch(config.roomUrl.replace(/\/0\/$/, "/" + roomId + "/"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && roomSelect.value === String(roomId)) roomItems.innerHTML = html;
      })
      .catch(function () { /* offline: the list refreshes with the next answer */ });
  }

  function chooseRoom(roomId, announce) {
    roomSelect.value = String(roomId);
    page.querySelectorAll(".js-room").forEach(function (input) { input.value = roomSelect.value; });
    try { window.localStorage.setItem(roomKey, roomSelect.value); } catch (error) { /* ignore */ }
    var url = new URL(window.location.href);
    url.searchParams.set("room", roomSelect.value);
    window.history.replaceState(null, "", url);
    loadRoom(roomSelect.value);
    if (announce) {
      var option = roomSelect.options[roomSelect.selectedIndex];
      showFeedback("info", format(texts.roomChosen, { room: option.dataset.code }));
    }
  }

  // Narrows the select to the rooms whose code or name contains the typed text.
  function filterRooms() {
    var text = roomFilter.value.trim().toLowerCase();
    var selected = roomSelect.value;
    roomSelect.innerHTML = "";
    allOptions.forEach(function (option) {
      if (!option.value || !text || option.textContent.toLowerCase().indexOf(text) !== -1 || option.value === selected) {
        roomSelect.appendChild(option);
      }
    });
    roomSelect.value = selected;
    var exact = roomByCode(roomFilter.value);
    if (exact && String(exact.id) !== selected) chooseRoom(exact.id, true);
  }

  roomFilter.addEventListener("input", filterRooms);
  roomFilter.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var exact = roomByCode(roomFilter.value);
    var matches = Array.prototype.filter.call(roomSelect.options, function (o) { return o.value; });
    if (exact) chooseRoom(exact.id, true);
    else if (matches.length === 1) chooseRoom(matches[0].value, true);
    else if (roomFilter.value.trim()) showFeedback("warning", format(texts.unknownRoom, { code: roomFilter.value.trim() }));
  });
  roomSelect.addEventListener("change", function () {
    if (roomSelect.value) chooseRoom(roomSelect.value, true);
  });
  document.getElementById("room-form").addEventListener("submit", function (event) {
    event.preventDefault();
  });

  // Entries -----------------------------------------------------------------------------------
  function handleCode(code) {
    code = code.trim();
    if (!code) return;
    var room = roomByCode(code);
    if (room) {
      chooseRoom(room.id, true); // a door label read in the scan field changes the room
      return;
    }
    enqueue({ code: code });
  }

  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value;
    codeInput.value = "";
    handleCode(code);
    codeInput.focus();
  });
  newItemForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("new-item-description");
    if (!input.value.trim()) return;
    if (enqueue({ description: input.value.trim() })) input.value = "";
  });
  document.getElementById("queue-send").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(function () { if (queue.length && navigator.onLine !== false) flush(); }, 15000);

  // Camera ------------------------------------------------------------------------------------
  var video = document.getElementById("camera-video");
  var cameraBox = document.getElementById("camera-box");
  var stream = null;
  var detector = null;
  var canvas = null;
  var target = "item";
  var lastRead = { text: "", at: 0 };

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = config.jsqrUrl;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDetector() {
    if (!("BarcodeDetector" in window)) return loadJsQR().then(function () { return null; });
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) return loadJsQR().then(function () { return null; });
      return new window.BarcodeDetector({ formats: ["qr_code"] });
    });
  }

  function decodeFrame() {
    if (!stream || video.readyState < 2) return Promise.resolve(null);
    if (detector) {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    var scale = Math.min(1, 640 / video.videoWidth);
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    canvas = canvas || document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
      inversionAttempts: "dontInvert",
    });
    return Promise.resolve(found ? found.data : null);
  }

  function onRead(text) {
    var now = Date.now();
    // The same label stays in view for a while: read it once.
    if (text === lastRead.text && now - lastRead.at < 3000) return;
    lastRead = { text: text, at: now };
    if (navigator.vibrate) navigator.vibrate(60);
    if (target === "room") {
      var room = roomByCode(text);
      if (room) {
        roomFilter.value = "";
        chooseRoom(room.id, true);
        stopCamera();
      } else {
        showFeedback("warning", format(texts.unknownRoom, { code: text }));
      }
      return;
    }
    handleCode(text);
  }

  function loop() {
    if (!stream) return;
    decodeFrame().then(function (text) {
      if (text) onRead(text);
    }).catch(function () { /* a frame that cannot be read: try the next one */ }).then(function () {
      if (stream) window.setTimeout(loop, 150);
    });
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    cameraBox.hidden = true;
  }

  function startCamera(which) {
    target = which;
    if (which === "item" && !roomSelect.value) {
      showFeedback("warning", texts.chooseRoom);
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showFeedback("warning", texts.noCamera);
      return;
    }
    stopCamera();
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        cameraBox.hidden = false;
        return video.play();
      })
      .then(makeDetector)
      .then(function (made) {
        detector = made;
        cameraBox.scrollIntoView({ block: "nearest" });
        loop();
      })
      .catch(function () {
        stopCamera();
        showFeedback("warning", texts.cameraDenied);
      });
  }

  page.querySelectorAll("[data-camera]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { startCamera(button.dataset.camera); });
  });
  document.getElementById("camera-stop").addEventListener("click", stopCamera);
  window.addEventListener("pagehide", stopCamera);

  // Start -------------------------------------------------------------------------------------
  if (!roomSelect.value) {
    var stored = null;
    try { stored = window.localStorage.getItem(roomKey); } catch (error) { /* ignore */ }
    if (stored && allOptions.some(function (o) { return o.value === stored; })) chooseRoom(stored, false);
  } else {
    page.querySelectorAll(".js-room").forEach(function (input) { input.value = roomSelect.value; });
  }
  saveQueue();
  flush();
})();
