/**
 * Validates Tessera access tokens for any Java API. The servlet and Javalin adapters are optional:
 * their packages need the container's or application's own jakarta.servlet / io.javalin.
 */
module dev.tessera.resourceserver {
    requires transitive com.nimbusds.jose.jwt;
    requires java.net.http;
    requires static jakarta.servlet;
    requires static io.javalin;

    exports dev.tessera.resourceserver;
    exports dev.tessera.resourceserver.servlet;
    exports dev.tessera.resourceserver.javalin;
}
