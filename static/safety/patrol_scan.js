// The scan forms: fill in the phone's time and, when it allows, its position.
(function () {
  "use strict";
  document.querySelectorAll("form[data-patrol-scan]").forEach(function (form) {
    var field = function (name) { return form.querySelector('[name="' + name + '"]'); };
    var time = field("device_time");
    if (time) { time.value = new Date().toISOString(); }
    if (!navigator.geolocation || !field("latitude")) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      field("latitude").value = position.coords.latitude.toFixed(6);
      field("longitude").value = position.coords.longitude.toFixed(6);
      if (field("accuracy")) { field("accuracy").value = Math.round(position.coords.accuracy); }
    }, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
