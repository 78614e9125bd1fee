package io.github.virgl4j.fuzz;

/** Time limits of the fuzz targets. */
final class FuzzBudget {
    private FuzzBudget() {
    }

    /**
     * How long each target fuzzes in the normal suite ({@code ./virgl4j test}); longer runs use
     * {@code native/fuzz-long.sh}, whose {@code -max_total_time} overrides this.
     */
    static final String CI = "30s";

    /** One input taking longer than this is a hang (JUnit timeout per seed, libFuzzer -timeout when fuzzing). */
    static final int INPUT_TIMEOUT_SECONDS = 20;
}
