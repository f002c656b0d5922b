package dev.tessera.server.domain.client;

/** JWT access tokens are verified offline; opaque ones only through introspection. */
public enum AccessTokenFormat {
    JWT, OPAQUE
}
