/**
 * Trust in other identity providers: the issuers whose ID-JAGs the jwt-bearer grant accepts, and which of our
 * clients may present them (SPEC §6).
 * Depends on: JDK only.
 */
package dev.tessera.server.domain.trust;
