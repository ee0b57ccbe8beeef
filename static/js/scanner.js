/* The QR scanner of templates/core/includes/scanner.html: reads a label's QR code with the
   phone's camera in the page. The browser's own BarcodeDetector is used where it exists;
   elsewhere the vendored jsQR (static/vendor/jsqr), loaded only when the camera starts.
   A code that links into this site (this address, or SITE_URL's, which printed labels carry)
   opens that page here; anything else is only shown, never followed. When the camera cannot
   be used (no camera, permission refused, some iPhones), the typed-code form stays. */
(function () {
  "use strict";
  if (window.houqinScanner) {
    return;
  }
  var INTERVAL_MS = 150;
  var MAX_WIDTH = 640;
  var readerLoading = null;

  function loadJsQR(src) {
    if (window.jsQR) {
      return Promise.resolve(window.jsQR);
    }
    if (!readerLoading) {
      readerLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.jsQR); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return readerLoading;
  }

  /* A function (video, canvas) → Promise of the text read, or null. */
  function makeReader(src) {
    if ("BarcodeDetector" in window) {
      var detector = null;
      try {
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (error) {
        detector = null;
      }
      if (detector) {
        return Promise.resolve(function (video) {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        });
      }
    }
    return loadJsQR(src).then(function (jsQR) {
      return function (video, canvas) {
        var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        var width = Math.round(video.videoWidth * scale);
        var height = Math.round(video.videoHeight * scale);
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, width, height);
        var found = jsQR(context.getImageData(0, 0, width, height).data, width, height, {
          inversionAttempts: "dontInvert",
        });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  /* The path to open for ``text`` if it links into this site, else null. */
  function sitePath(text, origins) {
    var url;
    try {
      url = new URL(String(text).trim());
    } catch (error) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return null;
    }
    if (url.origin !== window.location.origin && origins.indexOf(url.origin) === -1) {
      return null;
    }
    // One leading slash: "//evil.example/x" (or "/\\evil…", which the URL parser makes
    // "//…") would be a protocol-relative address, i.e. another site.
    return "/" + url.pathname.replace(/^[\/\\]+/, "") + url.search + url.hash;
  }

  function Scanner(root) {
    this.root = root;
    this.panel = root.querySelector("[data-scanner-panel]");
    this.video = root.querySelector("[data-scanner-video]");
    this.status = root.querySelector("[data-scanner-status]");
    this.result = root.querySelector("[data-scanner-result]");
    this.input = root.querySelector("input[name=code]");
    this.startButton = root.querySelector("[data-scanner-start]");
    this.origins = (root.dataset.origins || "").split(" ").filter(Boolean);
    this.canvas = document.createElement("canvas");
    this.stream = null;
    this.timer = null;
    var self = this;
    this.startButton.addEventListener("click", function () { self.start(); });
    root.querySelector("[data-scanner-stop]").addEventListener("click", function () {
      self.stop();
    });
  }

  Scanner.prototype.say = function (key) {
    this.status.textContent = this.root.dataset[key] || "";
  };

  Scanner.prototype.start = function () {
    var self = this;
    this.panel.hidden = false;
    this.startButton.setAttribute("aria-expanded", "true");
    this.result.hidden = true;
    if (this.stream) {
      return;
    }
    var media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) {
      this.fail();
      return;
    }
    this.say("msgStarting");
    media
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        self.stream = stream;
        self.video.srcObject = stream;
        self.video.hidden = false;
        return self.video.play();
      })
      .then(function () { return makeReader(self.root.dataset.readerSrc); })
      .then(function (read) {
        self.say("msgAim");
        self.loop(read);
      })
      .catch(function () { self.fail(); });
  };

  Scanner.prototype.loop = function (read) {
    var self = this;
    if (!this.stream) {
      return;
    }
    var attempt = this.video.readyState >= 2 ? read(this.video, this.canvas) : Promise.resolve(null);
    attempt
      .then(function (text) {
        if (text) {
          self.found(text);
        } else {
          self.timer = window.setTimeout(function () { self.loop(read); }, INTERVAL_MS);
        }
      })
      .catch(function () {
        self.timer = window.setTimeout(function () { self.loop(read); }, INTERVAL_MS);
      });
  };

  Scanner.prototype.found = function (text) {
    var path = sitePath(text, this.origins);
    this.stop(true);
    if (path) {
      this.say("msgOpening");
      window.location.assign(path);
      return;
    }
    // Not a link of this site: show what was read (as text), and offer it as a typed code.
    this.status.textContent = this.root.dataset.msgForeign || "";
    this.result.textContent = text;
    this.result.hidden = false;
    if (this.input && String(text).length <= 60 && !/\s/.test(text)) {
      this.input.value = text;
    }
  };

  Scanner.prototype.fail = function () {
    this.stop(true);
    this.say("msgNoCamera");
    if (this.input) {
      this.input.focus();
    }
  };

  Scanner.prototype.stop = function (keepPanel) {
    window.clearTimeout(this.timer);
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) { track.stop(); });
      this.stream = null;
    }
    this.video.srcObject = null;
    this.video.hidden = true;
    if (!keepPanel) {
      this.status.textContent = "";
      this.panel.hidden = true;
      this.startButton.setAttribute("aria-expanded", "false");
    }
  };

  function bind() {
    document.querySelectorAll("[data-scanner]").forEach(function (root) {
      if (!root.houqinScanner) {
        root.houqinScanner = new Scanner(root);
      }
    });
  }

  window.houqinScanner = { sitePath: sitePath, bind: bind };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
