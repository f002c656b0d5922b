package dev.tessera.server.http.view;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Renders the pages people see. Templates are compiled to classes at build time by the
 * jte-maven-plugin, so there is no template compiler and no file lookup at run time; the Html
 * content type escapes every {@code ${}} output according to where it appears.
 * Thread-safe: one instance serves the whole server.
 */
public final class HtmlTemplates {
    /** Where the pages expect their stylesheet and script; the HTTP layer serves the {@code static/} resources here. */
    public static final String STATIC_PATH = "/static/";

    private final TemplateEngine engine;

    public HtmlTemplates(TemplateEngine engine) {
        this.engine = engine;
    }

    public static HtmlTemplates precompiled() {
        return new HtmlTemplates(TemplateEngine.createPrecompiled(ContentType.Html));
    }

    public String login(LoginPage page) {
        return render("login.jte", page);
    }

    public String loginOtp(LoginOtpPage page) {
        return render("login_otp.jte", page);
    }

    public String totpEnrol(TotpEnrolPage page) {
        return render("totp_enrol.jte", page);
    }

    public String consent(ConsentPage page) {
        return render("consent.jte", page);
    }

    public String register(RegisterPage page) {
        return render("register.jte", page);
    }

    public String registered(RegisteredPage page) {
        return render("registered.jte", page);
    }

    public String devCallback(DevCallbackPage page) {
        return render("dev_callback.jte", page);
    }

    public String error(ErrorPage page) {
        return render("error.jte", page);
    }

    public String loggedOut(LoggedOutPage page) {
        return render("logged_out.jte", page);
    }

    public String logoutConfirm(LogoutConfirmPage page) {
        return render("logout_confirm.jte", page);
    }

    public String formPost(FormPostPage page) {
        return render("form_post.jte", page);
    }

    private String render(String template, Object page) {
        StringOutput output = new StringOutput(4096);
        engine.render(template, page, output);
        return output.toString();
    }
}
