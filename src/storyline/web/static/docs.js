/* storyline: the API documentation (Swagger UI, served locally from the fastapi-offline
   package's copy) started from a file, since the page's CSP allows no inline script. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.SwaggerUIBundle) { return; }
    window.SwaggerUIBundle({
      url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
      validatorUrl: null, defaultModelsExpandDepth: 1, docExpansion: "list"
    });
  });
})();
