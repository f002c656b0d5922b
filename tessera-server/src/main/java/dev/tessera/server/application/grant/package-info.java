/**
 * One class per grant type at /token, each doing only its own exchange after TokenService ran the shared phases,
 * with its checks in small classes beside it: SubjectTokenVerifier (our own tokens for token exchange),
 * IdJagPolicyCheck (the per-audience idJag policy), AssertionVerifier (trusted issuers' ID-JAGs for jwt-bearer).
 * Depends on: application.issue, application.port, application.token, domain, Nimbus JOSE+JWT.
 */
package dev.tessera.server.application.grant;
