package io.github.virgl4j.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The check every target's seeds share: each seed's expected outcome was observed in the regression run. */
final class SeedOutcomes {
    private SeedOutcomes() {
    }

    /** A seed whose fuzz input and expected outcome are known (each target's own record). */
    interface Case {
        byte[] input();

        String outcome();
    }

    /** The seeds' fuzz inputs by name, in their order (what a target's {@code inputs()} hands Jazzer). */
    static Map<String, byte[]> inputs(Map<String, ? extends Case> seeds) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        seeds.forEach((name, seed) -> out.put(name, seed.input()));
        return out;
    }

    /** {@link #check(String, Map, List)} with each seed's own expected outcome. */
    static void checkCases(String target, Map<String, ? extends Case> seeds, List<String> observed) {
        Map<String, String> expected = new LinkedHashMap<>();
        seeds.forEach((name, seed) -> expected.put(name, seed.outcome()));
        check(target, expected, observed);
    }

    /**
     * @param expected seed name to the outcome it must have
     * @param observed the outcomes Jazzer's regression run produced, one per seed, in any order
     */
    static void check(String target, Map<String, String> expected, List<String> observed) {
        List<String> left = new ArrayList<>(observed);
        StringBuilder missing = new StringBuilder();
        expected.forEach((name, outcome) -> {
            if (!left.remove(outcome)) {
                missing.append("\n").append(name).append(": ").append(outcome);
            }
        });
        System.out.println(target + " seed outcomes: " + observed);
        if (missing.length() > 0) {
            throw new AssertionError(target + " seeds without their outcome (observed " + observed + "):" + missing);
        }
    }
}
