package io.github.virgl4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The last step of the fuzzing executions (pom: fuzz-report): prints {@link FuzzReport}'s table
 * of every target (also in target/fuzz-report/summary.md) and fails unless every target fuzzed
 * (inputs &gt; 0) without crash files, hs_err files or timeouts. Skipped outside that execution.
 */
class FuzzReportTest {
    @Test
    void everyTargetFuzzedWithoutFindings() throws IOException {
        assumeTrue(Boolean.getBoolean("virgl4j.fuzz.report"), "runs in the fuzz-report execution only");
        FuzzReport.Summary s = FuzzReport.summarize(Path.of(System.getProperty("virgl4j.fuzz.dir", "target/fuzz")),
                FuzzStats.reportDir(), FuzzReport.TARGETS);
        System.out.println("\nvirgl4j fuzz report (" + FuzzBudget.CI + " per target)\n" + s.table() + "\n");
        assertTrue(s.problems().isEmpty(), String.join("; ", s.problems()));
    }
}
