package io.github.virgl4j.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The check every target's seeds share: each seed's expected outcome was observed in the regression run. */
final class SeedOutcomes {
    private SeedOutcomes() {
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
