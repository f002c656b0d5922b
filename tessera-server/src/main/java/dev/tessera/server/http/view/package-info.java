/**
 * The HTML pages people see (login, consent, registration, error, signed-out, form_post),
 * as page model records plus {@link dev.tessera.server.http.view.HtmlTemplates}, which renders
 * them with precompiled jte templates from {@code src/main/jte}; jte's Html content type escapes
 * every {@code ${}} output, so models carry plain, unescaped text.
 *
 * <p>Depends on: JDK, gg.jte runtime. No Javalin: endpoints render a page to a String and send it.
 */
package dev.tessera.server.http.view;
