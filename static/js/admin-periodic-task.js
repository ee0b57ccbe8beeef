// django-celery-beat's periodic task form in Django admin: show the readable form of the
// chosen crontab under its field. The library does this in an inline script, which the
// Content-Security-Policy refuses; this is the same behaviour from a static file.
(function () {
  const script = document.getElementById("periodic-task-overrides");
  const data = document.getElementById("readable-crontabs");
  if (!script || !data || !window.django) return;
  const $ = django.jQuery;
  const readable = JSON.parse(data.textContent);
  const help = script.dataset.crontabHelp || "";
  $(function () {
    $(".field-crontab_translation").hide();
    $(".field-crontab").change(function () {
      const text = readable[$("#id_crontab").val()] || "";
      $(".field-crontab .help").text(help).append("<br>").append(document.createTextNode(text));
    });
  });
})();
