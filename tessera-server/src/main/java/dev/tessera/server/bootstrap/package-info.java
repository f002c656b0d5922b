/**
 * The composition root: the only place adapters are constructed and wired to the application.
 *
 * <p>Depends on: everything.
 */
package dev.tessera.server.bootstrap;
