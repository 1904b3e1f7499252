// The API explorer of /api.html: Swagger UI (vendored from npm swagger-ui-dist) on /api.
window.ui = SwaggerUIBundle({
  url: "/api",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayRequestDuration: true,
  docExpansion: "none",
  filter: true,
  validatorUrl: null,
});
