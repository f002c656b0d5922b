package dev.tessera.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The settings of {@code tessera.yaml} that take one of a fixed set of spellings. Each spelling is parsed
 * here and nowhere else: the validator asks {@link #parse} whether a value is known, and
 * {@code bootstrap.ConfigToDomain} maps the parsed constant, so the two cannot disagree.
 */
public final class Choices {
    private Choices() {
    }

    /** A constant with its spelling in the file. */
    public interface Choice {
        String value();
    }

    /** {@code clients[].tokenEndpointAuthMethod} (RFC 7591 §2 names). */
    public enum AuthMethod implements Choice {
        CLIENT_SECRET_BASIC(ClientConfig.AUTH_CLIENT_SECRET_BASIC), CLIENT_SECRET_POST(ClientConfig.AUTH_CLIENT_SECRET_POST),
        PRIVATE_KEY_JWT(ClientConfig.AUTH_PRIVATE_KEY_JWT), NONE(ClientConfig.AUTH_NONE);

        private final String value;

        AuthMethod(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }

        public boolean usesSecret() {
            return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
        }
    }

    /** {@code clients[].consent}. */
    public enum Consent implements Choice {
        REQUIRED(ClientConfig.CONSENT_REQUIRED), SKIP(ClientConfig.CONSENT_SKIP);

        private final String value;

        Consent(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code clients[].subjectType}. */
    public enum SubjectType implements Choice {
        PUBLIC(ClientConfig.SUBJECT_PUBLIC), PAIRWISE(ClientConfig.SUBJECT_PAIRWISE);

        private final String value;

        SubjectType(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code tokens.accessTokenFormat} and {@code clients[].accessTokenFormat}. */
    public enum TokenFormat implements Choice {
        JWT(TokensConfig.FORMAT_JWT), OPAQUE(TokensConfig.FORMAT_OPAQUE);

        private final String value;

        TokenFormat(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** The constant spelled exactly {@code value} (case-sensitive, as SPEC §2 writes it); empty otherwise. */
    public static <E extends Enum<E> & Choice> Optional<E> parse(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.value().equals(value)).findFirst();
    }

    /** For a validated config only: a value that does not parse is a programming error. */
    static <E extends Enum<E> & Choice> E require(Class<E> type, String value, String key) {
        return parse(type, value).orElseThrow(() -> new IllegalArgumentException(
                key + " was not validated: " + mustBeOneOf(type)));
    }

    /** "must be a, b or c", the validator's message for an unknown value. */
    static <E extends Enum<E> & Choice> String mustBeOneOf(Class<E> type) {
        return mustBeOneOf(Arrays.stream(type.getEnumConstants()).map(Choice::value).toList());
    }

    /** "must be a, b or c" for a fixed list of accepted strings. */
    static String mustBeOneOf(List<String> values) {
        String last = values.get(values.size() - 1);
        return "must be " + (values.size() == 1 ? last
                : String.join(", ", values.subList(0, values.size() - 1)) + " or " + last);
    }
}
