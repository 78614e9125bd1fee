package io.github.virgl4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures one fuzz target collects while it runs (inputs executed, outcomes, limits hit) and
 * writes, at the end, to {@code <report dir>/<target>-<mode>.properties} for
 * {@link FuzzReportTest}, plus one line on stdout.
 */
final class FuzzStats {
    private final String target;
    private final long started = System.nanoTime();
    private final Map<String, AtomicLong> counters = new TreeMap<>();

    FuzzStats(String target) {
        this.target = target;
    }

    /** True under {@code JAZZER_FUZZ=1} (or Jazzer's command line): coverage-guided fuzzing, not seeds. */
    static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        String p = System.getProperty("JAZZER_FUZZ");
        return isTrue(v) || isTrue(p);
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    static Path reportDir() {
        return Path.of(System.getProperty("virgl4j.fuzz.reportDir", "target/fuzz-report"));
    }

    synchronized void count(String key) {
        add(key, 1);
    }

    /** Adds n to a counter; the key is reduced to [A-Za-z0-9._-], so it needs no escaping. */
    synchronized void add(String key, long n) {
        counters.computeIfAbsent(key(key), k -> new AtomicLong()).addAndGet(n);
    }

    synchronized long get(String key) {
        AtomicLong v = counters.get(key(key));
        return v == null ? 0 : v.get();
    }

    private static String key(String raw) {
        return raw.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** Writes the figures (sorted key=value lines) and prints their summary line. */
    synchronized void write() {
        String mode = fuzzing() ? "fuzzing" : "regression";
        Map<String, String> p = new TreeMap<>();
        p.put("target", target);
        p.put("mode", mode);
        p.put("seconds", String.format("%.1f", (System.nanoTime() - started) / 1e9));
        counters.forEach((k, v) -> p.put(k, Long.toString(v.get())));
        try {
            Files.createDirectories(reportDir());
            try (Writer w = Files.newBufferedWriter(reportDir().resolve(target + "-" + mode + ".properties"))) {
                for (Map.Entry<String, String> e : p.entrySet()) {
                    w.write(e.getKey() + "=" + e.getValue() + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("virgl4j fuzz " + target + " (" + mode + "): " + counters);
    }
}
