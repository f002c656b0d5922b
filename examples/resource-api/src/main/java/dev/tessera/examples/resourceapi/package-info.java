/**
 * An example protected API: {@code GET /protected} on Javalin, admitting only requests whose access token
 * from Tessera carries the required scope, and answering with who called. Configured from environment
 * variables or system properties; the defaults work against {@code ./tessera serve --dev}.
 *
 * <p>Depends on: tessera-resource-server (token validation, the Javalin handler), Javalin, Jackson.
 */
package dev.tessera.examples.resourceapi;
