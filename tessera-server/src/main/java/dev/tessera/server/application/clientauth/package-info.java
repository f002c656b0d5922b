/**
 * Client authentication at /token, /introspect and /revoke with the one method a client registered: a secret
 * (Basic or body, salted SHA-256, constant-time compare), a private_key_jwt assertion (RFC 7523 §2.2) or none for a
 * public client; failures are throttled per client, logged and counted by reason, never with the credential.
 *
 * <p>Depends on: application.port, domain, Nimbus JOSE+JWT, JDK.
 */
package dev.tessera.server.application.clientauth;
