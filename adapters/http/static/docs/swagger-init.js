// Starts Swagger UI for fintrack's docs page. Kept in a file (not inline) so the page runs under a
// Content-Security-Policy with script-src 'self' and no inline script.
"use strict";
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
});
