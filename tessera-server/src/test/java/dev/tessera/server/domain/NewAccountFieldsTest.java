package dev.tessera.server.domain;

import dev.tessera.server.domain.user.EmailAddress;
import dev.tessera.server.domain.user.Username;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sign-up rules for a chosen username and an email address, and the words they use. */
class NewAccountFieldsTest {
    @Test
    void usernamesOfThreeToSixtyFourLowerCaseCharactersAreAccepted() {
        assertThat(Username.problem("bob")).isEmpty();
        assertThat(Username.problem("a".repeat(64))).isEmpty();
        assertThat(Username.problem("mary-jane.o_neil42")).isEmpty();
        assertThat(Username.problem("007")).isEmpty();
    }

    @Test
    void aMixedCaseUsernameIsToldItsLowerCaseForm() {
        assertThat(Username.problem("MaryJane")).contains("Usernames are lower case: try \u201Cmaryjane\u201D.");
        // no suggestion that would itself be refused
        assertThat(Username.problem("Mary Jane")).contains(
                "Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
        assertThat(Username.problem("-Mary")).contains(
                "Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
    }

    @Test
    void lengthIsCountedAsAPersonCountsIt() {
        assertThat(Username.problem("ab")).contains("A username needs at least 3 characters.");
        assertThat(Username.problem("a".repeat(65))).contains("A username can have at most 64 characters.");
        // three emoji are three characters (and not allowed ones)
        assertThat(Username.problem("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")).contains(
                "Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
    }

    @Test
    void punctuationMayNotStartOrEndAUsername() {
        assertThat(Username.problem("_bob")).contains("A username must start and end with a letter or a digit.");
        assertThat(Username.problem("bob.")).contains("A username must start and end with a letter or a digit.");
    }

    @Test
    void controlCharactersAndLineBreaksAreRefused() {
        assertThat(Username.problem("bob\n")).isPresent();
        assertThat(Username.problem("bo\u0000b")).isPresent();
        assertThat(Username.problem(null)).contains("Choose a username.");
    }

    @Test
    void emailAddressesFollowTheHtmlEmailInputRule() {
        assertThat(EmailAddress.problem("carol@example.com")).isEmpty();
        assertThat(EmailAddress.problem("c.o+tag@mail.example-host.co.uk")).isEmpty();
        assertThat(EmailAddress.problem("carol@example")).isEmpty(); // as <input type=email> accepts it
        assertThat(EmailAddress.problem("carol")).contains("Enter an email address like name@example.com.");
        assertThat(EmailAddress.problem("carol@@example.com")).isPresent();
        assertThat(EmailAddress.problem("carol@-example.com")).isPresent();
        assertThat(EmailAddress.problem("carol @example.com")).isPresent();
        assertThat(EmailAddress.problem("carol@example.com\r\nBcc: x@y.z")).isPresent();
        assertThat(EmailAddress.problem("")).contains("Enter your email address.");
        String longest = "a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(60);
        assertThat(longest).hasSize(254);
        assertThat(EmailAddress.problem(longest)).isEmpty();
        assertThat(EmailAddress.problem(longest + "e")).contains("An email address can have at most 254 characters.");
    }

    @Test
    void aLongHostileAddressIsJudgedQuickly() {
        String hostile = "a@" + "a-".repeat(120) + "!";
        long started = System.nanoTime();
        assertThat(EmailAddress.problem(hostile)).isPresent();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }
}
