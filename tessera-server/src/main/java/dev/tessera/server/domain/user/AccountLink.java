package dev.tessera.server.domain.user;

/** The user's account at a trusted issuer, used to map an incoming ID-JAG (iss, sub) to this user. */
public record AccountLink(String issuer, String subject) {
}
