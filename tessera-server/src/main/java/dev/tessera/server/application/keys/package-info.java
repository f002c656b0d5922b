/**
 * The signing key ring as the use cases see it: immutable {@link dev.tessera.server.application.keys.KeyRing}
 * snapshots, {@link dev.tessera.server.application.keys.SigningKey} (RFC 7638 kids) and the
 * {@link dev.tessera.server.application.keys.JwtSigner} on the token-issuing hot path; automatic rotation of the
 * ring in the store ({@link dev.tessera.server.application.keys.RotationSchedule} decides,
 * {@link dev.tessera.server.application.keys.KeyRotation} acts under the store's lock, {@link
 * dev.tessera.server.application.keys.KeyEvents} audits).
 * Depends on: application.port, Nimbus JOSE+JWT, SLF4J, JDK.
 */
package dev.tessera.server.application.keys;
