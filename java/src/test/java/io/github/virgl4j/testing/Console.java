package io.github.virgl4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What in-process code (e.g. {@code Main.run}) prints on System.out or System.err, as text. */
public final class Console {
    private Console() {
    }

    /** Runs r with System.out captured and returns what it printed there. */
    public static String stdout(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    /** Runs r with System.err captured and returns what it printed there. */
    public static String stderr(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    private static String capture(Runnable r, PrintStream saved, Consumer<PrintStream> set) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        set.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            set.accept(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
