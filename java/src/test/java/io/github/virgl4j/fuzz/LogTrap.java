package io.github.virgl4j.fuzz;

import io.github.virgl4j.renderer.RendererException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes the library's warnings off the console while fuzzing (a broken virtqueue is expected
 * thousands of times) and keeps what matters: VirtioGpu answers ERR_UNSPEC when a handler throws
 * something unexpected; that is a bug of ours the guest cannot see, so {@link #takeBugs} lets the
 * targets report it. RendererExceptions that reach that net are counted, not reported.
 */
final class LogTrap extends Handler {
    private static final Logger LIBRARY = Logger.getLogger("io.github.virgl4j");
    private static LogTrap installed;

    private final FuzzStats stats;
    private final List<Throwable> bugs = new ArrayList<>();

    private LogTrap(FuzzStats stats) {
        this.stats = stats;
        setLevel(Level.WARNING);
    }

    static synchronized LogTrap install(FuzzStats stats) {
        if (installed != null) {
            LIBRARY.removeHandler(installed);
        }
        installed = new LogTrap(stats);
        LIBRARY.setLevel(Level.WARNING);
        LIBRARY.setUseParentHandlers(false);
        LIBRARY.addHandler(installed);
        return installed;
    }

    @Override
    public synchronized void publish(LogRecord r) {
        Throwable t = r.getThrown();
        if (t == null) {
            stats.count("warning." + r.getMessage().replaceFirst("^[^:]*: ", "").replaceAll("0x[0-9a-f]+|-?[0-9]+", "N"));
        } else if (t instanceof RendererException) {
            stats.count("warning.renderer_error_caught_by_the_device: " + t.getMessage().replaceAll("-?[0-9]+", "N"));
        } else {
            bugs.add(t);
        }
    }

    /** Unexpected exceptions the device caught since the last call. */
    synchronized List<Throwable> takeBugs() {
        List<Throwable> out = new ArrayList<>(bugs);
        bugs.clear();
        return out;
    }

    /** Throws the first unexpected exception the device swallowed, if any. */
    void rethrowBugs() {
        List<Throwable> b = takeBugs();
        if (!b.isEmpty()) {
            throw new AssertionError("the device caught an unexpected exception (answered ERR_UNSPEC)", b.get(0));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
