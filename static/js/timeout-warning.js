// The GOV.UK timeout warning: opens a modal dialog shortly before the server's idle timeout and
// offers to stay signed in (a POST to the keep-alive URL). It only warns: the server signs an idle
// session out whatever this script does, and pages work without it. No inline script (strict CSP).
const dialog = document.querySelector('[data-module="spr-timeout-warning"]');

// The words come from the template, translated there.
function minutesAndSeconds(total) {
  const words = dialog.dataset;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const m = `${minutes} ${minutes === 1 ? words.minute : words.minutes}`;
  const s = `${seconds} ${seconds === 1 ? words.second : words.seconds}`;
  if (minutes && seconds) return `${m} ${s}`;
  return minutes ? m : s;
}

if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds);
  const warning = Math.min(Number(dialog.dataset.warningSeconds), idle);
  const countdown = dialog.querySelector(".spr-timeout-warning__countdown");
  const live = dialog.querySelector(".spr-timeout-warning__live");
  const stay = dialog.querySelector('[data-timeout-action="stay"]');
  const csrf = dialog.querySelector('input[name="csrfmiddlewaretoken"]');
  let deadline = 0;
  let warnTimer = 0;
  let tick = 0;

  // Past the timeout the server has signed this session out: reloading shows the sign-in page with
  // the reason, and brings the person back here afterwards.
  const signedOut = () => window.location.reload();

  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = minutesAndSeconds(left);
    // Screen readers hear the time left every 20 seconds, not every second.
    if (left % 20 === 0) live.textContent = `${dialog.querySelector("h2").textContent} ${minutesAndSeconds(left)}`;
    if (left === 0) signedOut();
  };

  const open = () => {
    update();
    dialog.showModal();
    stay.focus();
    tick = window.setInterval(update, 1000);
  };

  const start = () => {
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    deadline = Date.now() + (idle + 1) * 1000;
    warnTimer = window.setTimeout(open, (idle - warning) * 1000);
  };

  const stayIn = async () => {
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
      });
      if (!response.ok || response.redirected) return signedOut();
    } catch {
      return signedOut();
    }
    dialog.close();
    start();
  };

  stay.addEventListener("click", stayIn);
  // Escape means "stay signed in", as in GOV.UK's pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stayIn();
  });
  start();
}
