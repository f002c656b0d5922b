/**
 * A jakarta.servlet Filter that admits requests with a valid bearer token.
 * Depends on: dev.tessera.resourceserver and jakarta.servlet-api 6 (provided by the container).
 */
package dev.tessera.resourceserver.servlet;
