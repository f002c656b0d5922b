package dev.tessera.server.config;

/** The user's account ({@code sub}) at a trusted issuer; maps an incoming ID-JAG to this user (SPEC §6). */
public record AccountLinkConfig(String issuer, String subject) {
}
