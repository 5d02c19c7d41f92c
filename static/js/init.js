// Runs as a module, so only in browsers GOV.UK Frontend supports; no inline script is needed.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
