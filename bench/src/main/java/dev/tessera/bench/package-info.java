/**
 * Benchmarks for Tessera: JMH measurements of access-token validation and signing, the runner that
 * prints them side by side with their ratios, and the HTTP load generator that {@code load.sh} points
 * at a running server's {@code /token} endpoint.
 *
 * <p>Depends on: tessera-resource-server, Nimbus JOSE+JWT, the Amazon Corretto Crypto Provider, JMH,
 * the JDK (java.net.http, jdk.httpserver).
 */
package dev.tessera.bench;
