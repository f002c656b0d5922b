/**
 * Javalin 7 handlers that admit requests with a valid bearer token and check scopes per route.
 * Depends on: dev.tessera.resourceserver and io.javalin 7 (provided by the application).
 */
package dev.tessera.resourceserver.javalin;
