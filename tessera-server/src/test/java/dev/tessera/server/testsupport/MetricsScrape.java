package dev.tessera.server.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One /metrics answer, read series by series, so a test can see a number move after the action that moves it. */
public record MetricsScrape(String text) {
    public static MetricsScrape of(TokenClient client) {
        TokenClient.Response response = client.get("/metrics", null);
        if (response.status() != 200) {
            throw new AssertionError("GET /metrics answered " + response.status());
        }
        return new MetricsScrape(response.body());
    }

    /**
     * The value of one series, written as the exposition writes it, labels in Micrometer's (alphabetical) order,
     * e.g. {@code tessera_logins_total{result="success"}}; 0 when the series is not there (yet).
     */
    public double value(String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    public boolean has(String series) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + " ").matcher(text).find();
    }

    /** The first series of {@code family} whose labels contain {@code labelFragment}, with its value. */
    public double first(String family, String labelFragment) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(family) + "\\{([^}]*)} (\\S+)$").matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).contains(labelFragment)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no " + family + " series with " + labelFragment + " in:\n" + text);
    }
}
