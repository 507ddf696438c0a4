// Forms that must work without a signal (a volunteer's contact, check-in and check-out in a
// stairwell; a driver's stop outcome): mark the form `data-offline-queue="<what it records>"`
// and put an element with `data-offline-status` on the page. Sent while offline, or when
// sending it fails on the way (a phone that claims a signal it does not have), the form is
// kept in an IndexedDB outbox on the phone and sent when the signal returns, with its one-time
// `submission_token`, which core's idempotency middleware uses as the key: a retry never
// saves it twice, even when the first try reached Beacon and only its answer was lost. The
// page says what is waiting. A form once saved is deleted from the phone at once, so nothing
// identifiable stays on it. A form Beacon refused (its errors) is kept until the person
// discards it, so nothing they typed is lost without them knowing.

const DATABASE = "beacon-offline";
const OUTBOX = "outbox";
const TOKEN_FIELD = "submission_token";
const SIGN_IN_PATH = "/sign-in/";
const RECORDED_AT_FIELD = "offline_recorded_at";
// While something waits and the phone claims a signal, try again this often.
const RETRY_MS = 20000;

function openOutbox() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(OUTBOX, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// One transaction on the outbox: `work(store)` makes the request whose result is returned.
async function withOutbox(mode, work) {
  const database = await openOutbox();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(OUTBOX, mode);
    const request = work(transaction.objectStore(OUTBOX));
    transaction.oncomplete = () => {
      database.close();
      resolve(request ? request.result : undefined);
    };
    transaction.onerror = () => reject(transaction.error);
  });
}

const waiting = () => withOutbox("readonly", (store) => store.getAll());
const keep = (item) => withOutbox("readwrite", (store) => store.put(item));
const forget = (key) => withOutbox("readwrite", (store) => store.delete(key));

function freshToken(form) {
  const field = form.querySelector(`input[name="${TOKEN_FIELD}"]`);
  if (field) field.value = crypto.randomUUID();
}

function plural(count, one) {
  return `${count} ${one}${count === 1 ? "" : "s"}`;
}

let lastSent = 0;
// The last try failed on the way: the phone's "online" is not to be believed.
let networkFailed = false;

async function showStatus() {
  const items = await waiting();
  const toSend = items.filter((item) => !item.refused);
  const refused = items.filter((item) => item.refused);
  for (const box of document.querySelectorAll("[data-offline-status]")) {
    box.replaceChildren();
    const lines = [];
    if (toSend.length) {
      const kinds = {};
      for (const item of toSend) kinds[item.kind] = (kinds[item.kind] || 0) + 1;
      const what = Object.entries(kinds).map(([kind, count]) => plural(count, kind)).join(", ");
      const signal = navigator.onLine && !networkFailed;
      lines.push(`Waiting to be sent: ${what}. ${signal ? "Sending now." : "They will be sent when you have a signal again."}`);
    } else if (lastSent) {
      lines.push(`Sent and saved: ${plural(lastSent, "record")}. Nothing is left on this phone.`);
    }
    if (refused.length) {
      lines.push(`Beacon could not save ${plural(refused.length, "record")} sent from this phone: record ${refused.length === 1 ? "it" : "them"} again, then discard.`);
    }
    for (const text of lines) {
      const paragraph = document.createElement("p");
      paragraph.textContent = text;
      box.append(paragraph);
    }
    if (toSend.length && navigator.onLine) {
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "nhsuk-button nhsuk-button--secondary";
      retry.textContent = "Try sending now";
      retry.addEventListener("click", sendWaiting);
      box.append(retry);
    }
    if (refused.length) {
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "nhsuk-button nhsuk-button--secondary";
      discard.textContent = "Discard what could not be saved";
      discard.addEventListener("click", async () => {
        for (const item of refused) await forget(item.key);
        showStatus();
      });
      box.append(discard);
    }
    box.hidden = lines.length === 0;
  }
}

function fieldsOf(form) {
  const fields = [];
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") fields.push([name, value]);
  }
  return fields;
}

function bodyOf(fields) {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return body;
}

async function queue(form, fields) {
  // When it was recorded, not when the signal came back (a form may read it, or not).
  fields = [...fields, [RECORDED_AT_FIELD, new Date().toISOString()]];
  const key = new FormData(form).get(TOKEN_FIELD) || crypto.randomUUID();
  const queuedAt = Date.now();
  await keep({ key, queuedAt, action: form.action, kind: form.dataset.offlineQueue, fields, refused: false });
}

let retrying = null;

// Try again every little while until nothing waits: a phone that claims a signal all along
// never tells the page it came back.
function keepTrying() {
  if (retrying !== null) return;
  retrying = setInterval(sendWaiting, RETRY_MS);
}

function stopTrying() {
  clearInterval(retrying);
  retrying = null;
}

let sending = false;

// Send what waits, oldest first; stop at the first failure of the network (still no signal).
async function sendWaiting() {
  if (sending || !navigator.onLine) return;
  sending = true;
  try {
    const items = (await waiting()).sort((a, b) => a.queuedAt - b.queuedAt);
    for (const item of items) {
      if (item.refused) continue;
      let response;
      try {
        response = await fetch(item.action, { method: "POST", body: bodyOf(item.fields), credentials: "same-origin" });
      } catch {
        networkFailed = true;
        break;
      }
      networkFailed = false;
      const signedOut = new URL(response.url).pathname.startsWith(SIGN_IN_PATH);
      if (response.redirected && !signedOut) {
        await forget(item.key); // saved (or saved before: the same key answers the same)
        lastSent += 1;
      } else if (signedOut || response.status === 409 || response.status >= 500) {
        break; // signed out, still being saved, or a fault: try again later
      } else {
        await keep({ ...item, refused: true });
      }
    }
  } finally {
    sending = false;
    if ((await waiting()).some((item) => !item.refused)) keepTrying();
    else stopTrying();
    await showStatus();
  }
}

// Keep the form on the phone, empty it for the next person, and say what waits.
async function keepForLater(form, fields) {
  await queue(form, fields);
  form.reset();
  freshToken(form);
  window.scrollTo(0, 0);
  keepTrying();
  await showStatus();
}

// Send the form first by fetch, without following Beacon's answer (a saved form's redirect
// and its message stay for the page). If it never reaches Beacon, or its answer is lost on
// the way back, it is kept. If Beacon answered, the browser sends the form again as usual to
// show that answer: a saved form's token gets the first answer back and is not saved twice;
// a refused one shows its errors, nothing typed lost.
function keepWorking(form) {
  freshToken(form);
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return; // a second tap while the first is on its way
    busy = true;
    try {
      const fields = fieldsOf(form);
      if (!navigator.onLine) {
        await keepForLater(form, fields);
        return;
      }
      try {
        await fetch(form.action, { method: "POST", body: bodyOf(fields), credentials: "same-origin", redirect: "manual" });
      } catch {
        networkFailed = true;
        await keepForLater(form, fields);
        return;
      }
      networkFailed = false;
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      busy = false;
    }
  });
}

const forms = document.querySelectorAll("form[data-offline-queue]");
if (forms.length) {
  forms.forEach(keepWorking);
  if ("serviceWorker" in navigator) {
    // A page whose form is marked `data-offline-keep-page` (it shows nobody's details) is
    // kept by the service worker, so a reload without a signal still opens the form.
    const keepPage = document.querySelector("form[data-offline-keep-page]");
    navigator.serviceWorker.register("/offline-worker.js").then(async () => {
      const ready = await navigator.serviceWorker.ready;
      if (keepPage) ready.active?.postMessage({ keep: window.location.pathname });
    }).catch(() => {});
  }
  window.addEventListener("online", sendWaiting);
  window.addEventListener("offline", showStatus);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sendWaiting();
  });
  sendWaiting();
}
