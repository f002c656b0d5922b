package dev.tessera.server.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the inputs of the first form in a page, as a browser would submit them (tests only). */
public final class HtmlForms {
    // A quoted attribute value may hold '>' (HTML escaping need not touch it), so skip quoted runs whole.
    private static final Pattern INPUT = Pattern.compile("<input\\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s>]+))");
    private static final Pattern FORM_ACTION = Pattern.compile("<form\\b[^>]*\\baction\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private HtmlForms() {
    }

    public static Map<String, String> hiddenInputs(String html) {
        Map<String, String> inputs = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attributes = attributes(input.group(1));
            if ("hidden".equalsIgnoreCase(attributes.get("type")) && attributes.containsKey("name")) {
                inputs.put(attributes.get("name"), attributes.getOrDefault("value", ""));
            }
        }
        return inputs;
    }

    public static String formAction(String html) {
        Matcher matcher = FORM_ACTION.matcher(html);
        return matcher.find() ? unescape(matcher.group(1)) : null;
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher matcher = ATTRIBUTE.matcher(text);
        while (matcher.find()) {
            String value = matcher.group(3) != null ? matcher.group(3)
                    : matcher.group(4) != null ? matcher.group(4) : matcher.group(5);
            attributes.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), unescape(value));
        }
        return attributes;
    }

    public static String unescape(String value) {
        return value.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&#x27;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#61;", "=").replace("&#x3D;", "=")
                .replace("&amp;", "&");
    }
}
