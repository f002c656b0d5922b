/**
 * The userinfo use case (OIDC Core §5.3): which claims a live access token may see, and whether they go out as
 * JSON or as the signed (optionally encrypted) JWT the client registered.
 * Depends on: application.issue, application.keys, application.port, application.token, domain, Nimbus JOSE+JWT.
 */
package dev.tessera.server.application.userinfo;
