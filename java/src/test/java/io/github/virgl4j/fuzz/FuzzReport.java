package io.github.virgl4j.fuzz;

import io.github.virgl4j.transport.vhostuser.VhostUserRequest;
import io.github.virgl4j.transport.vtest.VtestCommandId;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The figures of a fuzzing run, per target: inputs executed ({@link FuzzStats}), corpus size,
 * crashes (libFuzzer crash/oom/leak files, JVM hs_err files), hangs (timeout/slow-unit
 * files) and what the inputs reached (limits hit, commands that succeeded, ring outcomes), as a
 * Markdown table. Used by {@link FuzzReportTest} (normal suite) and by native/fuzz-long.sh:
 * {@code java io.github.virgl4j.fuzz.FuzzReport <fuzz dir> <report dir> [target...]} exits 1 on findings.
 */
final class FuzzReport {
    static final List<String> TARGETS = List.of("device", "virtqueue", "decoder", "vtest", "vhostuser", "stream");

    /** The table, and what is wrong (a target that did not fuzz, findings). */
    record Summary(String table, List<String> problems) {
    }

    /**
     * @param fuzzDir   one directory per target, where libFuzzer and the JVM left their files
     * @param reportDir where the targets wrote {@code <target>-fuzzing.properties}
     */
    static Summary summarize(Path fuzzDir, Path reportDir, List<String> targets) throws IOException {
        List<String> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        rows.add("| target | inputs | corpus | crashes | hangs | seconds | what it reached |");
        rows.add("|---|---:|---:|---:|---:|---:|---|");
        for (String t : targets) {
            Properties p = load(reportDir.resolve(t + "-fuzzing.properties"));
            Path dir = fuzzDir.resolve(t);
            long inputs = Long.parseLong(p.getProperty("inputs", "0"));
            long crashes = count(dir, "crash-") + count(dir, "oom-") + count(dir, "leak-") + count(dir, "hs_err");
            long timeouts = count(dir, "timeout-") + count(dir, "slow-unit-");
            rows.add("| " + t + " | " + inputs + " | " + corpus(dir) + " | " + crashes + " | " + timeouts + " | "
                    + p.getProperty("seconds", "?") + " | " + reached(t, p) + " |");
            if (inputs == 0) {
                problems.add(t + " did not fuzz (no figures in " + reportDir + ")");
            }
            if (crashes + timeouts > 0) {
                problems.add(t + ": findings in " + dir.toAbsolutePath());
            }
        }
        String table = String.join("\n", rows);
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("summary.md"), table + "\n");
        return new Summary(table, problems);
    }

    public static void main(String[] args) throws IOException {
        List<String> targets = args.length > 2 ? List.of(args).subList(2, args.length) : TARGETS;
        Summary s = summarize(Path.of(args[0]), Path.of(args[1]), targets);
        System.out.println("\nvirgl4j fuzz report\n" + s.table() + "\n");
        s.problems().forEach(p -> System.out.println("PROBLEM: " + p));
        System.exit(s.problems().isEmpty() ? 0 : 1);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    /** Files in dir whose name starts with prefix (libFuzzer artifacts, JVM crash logs). */
    static long count(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** Inputs libFuzzer kept for new coverage (.cifuzz-corpus under Maven, corpus under fuzz-long.sh). */
    private static long corpus(Path dir) throws IOException {
        long n = 0;
        for (String name : new String[] {".cifuzz-corpus", "corpus"}) {
            Path c = dir.resolve(name);
            if (Files.isDirectory(c)) {
                try (Stream<Path> s = Files.walk(c)) {
                    n += s.filter(Files::isRegularFile).count();
                }
            }
        }
        return n;
    }

    /** The highlights of a target's counters: limits, successful commands, outcomes. */
    private static String reached(String target, Properties p) {
        return switch (target) {
            case "device" -> "OK for " + keys(p, "ok.").size() + "/" + RequestGen.TYPES.length
                    + " command types; limits hit: " + counts(p, "limit.") + "; " + counts(p, "response.");
            case "virtqueue" -> counts(p, "outcome.") + "; " + counts(p, "chains.") + "; broken queues: "
                    + keys(p, "broken.").size() + " kinds";
            case "vtest" -> sum(p, "decoded.") + " frames of " + keys(p, "decoded.").size() + "/"
                    + VtestCommandId.values().length + " command types; errors: " + counts(p, "error.")
                    + "; negotiated: " + counts(p, "negotiated.");
            case "vhostuser" -> "decoded: " + keys(p, "outcome.ok").size() + "/" + VhostUserRequest.values().length
                    + " request types; rejected: " + counts(p, "rejected.");
            case "stream" -> "recordings replayed as recorded: " + p.getProperty("outcome.identity", "0")
                    + "; files read to the end: " + p.getProperty("outcome.replayed", "0") + "; format errors: "
                    + counts(p, "error.");
            default -> "decoded " + p.getProperty("decoded", "0") + "; " + counts(p, "error.");
        };
    }

    private static long sum(Properties p, String prefix) {
        return keys(p, prefix).stream().mapToLong(k -> Long.parseLong(p.getProperty(k))).sum();
    }

    private static List<String> keys(Properties p, String prefix) {
        return p.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    private static String counts(Properties p, String prefix) {
        return keys(p, prefix).stream().map(k -> k.substring(prefix.length()) + " " + p.getProperty(k))
                .collect(Collectors.joining(", "));
    }
}
