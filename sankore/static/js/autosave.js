// The application's dossier saves itself (htmx posts the form as it is typed); the answer
// carries the new revision, which the next save must send, or why the save was refused.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (!form || form.id !== "dossier") return;
  var status = document.getElementById("autosave-status");
  var data = {};
  try { data = JSON.parse(event.detail.xhr.responseText); } catch (e) { data = {}; }
  if (event.detail.successful && data.revision !== undefined) {
    document.getElementById("revision").value = data.revision;
    status.textContent = status.dataset.saved.replace("{time}", data.saved_at);
  } else {
    status.textContent = data.detail || status.dataset.failed;
  }
});
