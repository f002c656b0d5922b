/**
 * The command line: picocli commands that parse arguments and call bootstrap and the application, such as
 * {@link dev.tessera.server.cli.KeysCommand}.
 * Depends on: everything (it is the outermost layer), picocli.
 */
package dev.tessera.server.cli;
