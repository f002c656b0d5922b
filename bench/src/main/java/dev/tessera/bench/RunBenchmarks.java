package dev.tessera.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH benchmarks (same arguments as JMH's own Main) and then prints the numbers that the
 * issues ask about side by side: validation vs raw verify per key size, ACCP vs JDK signing. Ratios come
 * from one run on one machine, which is what makes them comparable on a noisy, shared box.
 */
public final class RunBenchmarks {
    private static final String VALIDATION = ResourceServerValidationBenchmark.class.getName();
    private static final String SIGNING = SigningBenchmark.class.getName();
    private static final double VALIDATION_TARGET = 0.90;

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad JMH options: " + e.getMessage());
            System.exit(2);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.print(summary(results));
    }

    static String summary(Collection<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("== Summary (1 thread, operations per second; ± is JMH's 99.9 % error) ==\n");
        List<String> keySizes = new ArrayList<>();
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().startsWith(VALIDATION)) {
                String bits = result.getParams().getParam("keyBits");
                if (!keySizes.contains(bits)) {
                    keySizes.add(bits);
                }
            }
        }
        for (String bits : keySizes) {
            Optional<Result<?>> validate = find(results, VALIDATION + ".validate", "keyBits", bits);
            Optional<Result<?>> raw = find(results, VALIDATION + ".rawVerify", "keyBits", bits);
            Optional<Result<?>> parsed = find(results, VALIDATION + ".parseAndVerify", "keyBits", bits);
            out.append("RS256 validation, RSA-").append(bits).append(":\n");
            validate.ifPresent(r -> out.append(line("TokenValidator.validate", r)));
            raw.ifPresent(r -> out.append(line("RSASSAVerifier.verify (raw)", r)));
            parsed.ifPresent(r -> out.append(line("SignedJWT.parse + verify", r)));
            if (validate.isPresent() && raw.isPresent()) {
                out.append(ratioLine("validate / raw verify, one after the other", validate.get(), raw.get()));
            }
            Optional<RunResult> pair = results.stream()
                    .filter(r -> r.getParams().getBenchmark().equals(VALIDATION + ".sideBySide")
                            && bits.equals(r.getParams().getParam("keyBits")))
                    .findFirst();
            if (pair.isPresent()) {
                Result<?> pairValidate = pair.get().getSecondaryResults().get("sideBySideValidate");
                Result<?> pairRaw = pair.get().getSecondaryResults().get("sideBySideRawVerify");
                if (pairValidate != null && pairRaw != null) {
                    out.append(line("validate  } at the same time,", pairValidate));
                    out.append(line("raw verify} one thread each", pairRaw));
                    out.append(ratioLine("validate / raw verify, at the same time", pairValidate, pairRaw));
                }
            }
        }
        List<String> signingKeySizes = new ArrayList<>();
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().startsWith(SIGNING)) {
                String bits = result.getParams().getParam("keyBits");
                if (!signingKeySizes.contains(bits)) {
                    signingKeySizes.add(bits);
                }
            }
        }
        for (String bits : signingKeySizes) {
            Optional<Result<?>> jdk = findSigning(results, CryptoProviders.JDK, bits);
            Optional<Result<?>> accp = findSigning(results, CryptoProviders.ACCP, bits);
            out.append("RS256 signing, RSA-").append(bits).append(" (Nimbus RSASSASigner):\n");
            jdk.ifPresent(r -> out.append(line("JDK provider", r)));
            accp.ifPresent(r -> out.append(line("Amazon Corretto Crypto Provider", r)));
            if (jdk.isPresent() && accp.isPresent()) {
                out.append(String.format(Locale.ROOT, "  ACCP / JDK = %.2fx%n", accp.get().getScore() / jdk.get().getScore()));
            }
        }
        return out.toString();
    }

    private static Optional<Result<?>> findSigning(Collection<RunResult> results, String provider, String bits) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().equals(SIGNING + ".sign"))
                .filter(r -> provider.equals(r.getParams().getParam("provider")) && bits.equals(r.getParams().getParam("keyBits")))
                .<Result<?>>map(RunResult::getPrimaryResult)
                .findFirst();
    }

    private static Optional<Result<?>> find(Collection<RunResult> results, String benchmark, String param, String value) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().equals(benchmark) && value.equals(r.getParams().getParam(param)))
                .<Result<?>>map(RunResult::getPrimaryResult)
                .findFirst();
    }

    private static String ratioLine(String label, Result<?> validate, Result<?> raw) {
        double ratio = validate.getScore() / raw.getScore();
        return String.format(Locale.ROOT, "  %s = %.1f %%  (target >= %.0f %%: %s)%n",
                label, 100 * ratio, 100 * VALIDATION_TARGET, ratio >= VALIDATION_TARGET ? "met" : "NOT met");
    }

    private static String line(String label, Result<?> result) {
        return String.format(Locale.ROOT, "  %-34s %,10.0f ± %,7.0f %s%n",
                label, result.getScore(), result.getScoreError(), result.getScoreUnit());
    }
}
