/**
 * The {@code tessera.yaml} configuration: immutable records, the loader that turns YAML (with
 * {@code ${VAR}} expansion) into them while rejecting unknown keys, and the validator that lists every
 * problem with its key path. Nothing here knows the domain model; {@code bootstrap.ConfigToDomain} maps it.
 *
 * <p>Depends on: Jackson databind and dataformat-yaml, the JDK.
 */
package dev.tessera.server.config;
