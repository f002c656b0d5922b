/**
 * The second factor: TOTP (RFC 6238) codes, their single use per time step, the encrypted secrets and their
 * enrolment, and the authentication levels (acr, amr) a sign-in reaches.
 * Depends on: domain, application.port, the JDK's HMAC, Bouncy Castle's Base32 codec.
 */
package dev.tessera.server.application.mfa;
