/**
 * What an operator does to an account outside the sign-in pages (the users CLI): changing a password or
 * disabling the account, each ending everything the account had signed in to.
 * Depends on: application.port, domain.
 */
package dev.tessera.server.application.account;
