package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_poll;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The render thread's {@link FdWatch}es and the poll(2) set built from them, with the thread's
 * own wake-up and virglrenderer descriptors first. Render thread only.
 */
final class WatchSet {
    private static final Logger LOG = Logger.getLogger(WatchSet.class.getName());

    private final List<FdWatch> watches = new ArrayList<>();
    private boolean changed = true;
    private int[] fds = new int[0];
    private short[] events = new short[0];
    private short[] revents = new short[0];
    private FdWatch[] polled = new FdWatch[0];

    void add(FdWatch w) {
        watches.add(w);
        changed = true;
    }

    void remove(FdWatch w) {
        watches.remove(w);
        changed = true;
    }

    /** A watch's interest changed: rebuild before the next poll. */
    void changed() {
        changed = true;
    }

    boolean isEmpty() {
        return watches.isEmpty();
    }

    /** Tells every watch the renderer is closing and forgets them all. */
    void closeAll() {
        for (FdWatch w : List.copyOf(watches)) {
            w.cancelled = true;
            try {
                w.onRendererClose.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, w.lane.name + ": closing on renderer close failed", e);
            }
        }
        watches.clear();
        changed = true;
    }

    /** Forgets every watch without a word (the render thread is ending). */
    void clear() {
        watches.clear();
        changed = true;
    }

    /**
     * Polls wakeFd, pollFd (if not -1) and every watch with interest for up to timeoutMs, runs
     * the handlers of ready watches, and returns whether wakeFd is readable. The render thread
     * passes the same two descriptors every time (its own, fixed before its loop starts).
     */
    boolean poll(int wakeFd, int pollFd, int timeoutMs) {
        if (changed) {
            rebuild(wakeFd, pollFd);
        }
        int n = v4j_poll(fds, events, revents, fds.length, timeoutMs);
        if (n <= 0) {
            return false;
        }
        for (int i = pollFd >= 0 ? 2 : 1; i < fds.length; i++) {
            FdWatch w = polled[i];
            if (revents[i] != 0 && !w.cancelled) {
                run(w, revents[i]);
            }
        }
        return (revents[0] & FdWatch.READ) != 0;
    }

    private static void run(FdWatch w, int ready) {
        long t0 = System.nanoTime();
        try {
            w.handler.ready(w, ready);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, w.lane.name + ": watch handler failed; watch cancelled", e);
            w.cancel();
        }
        w.lane.renderNanos.addAndGet(System.nanoTime() - t0);
        w.lane.executed.incrementAndGet();
    }

    private void rebuild(int wakeFd, int pollFd) {
        int first = pollFd >= 0 ? 2 : 1;
        int size = first;
        for (FdWatch w : watches) {
            if (w.events != 0) {
                size++;
            }
        }
        fds = new int[size];
        events = new short[size];
        revents = new short[size];
        polled = new FdWatch[size];
        fds[0] = wakeFd;
        events[0] = FdWatch.READ;
        if (pollFd >= 0) {
            fds[1] = pollFd;
            events[1] = FdWatch.READ;
        }
        int i = first;
        for (FdWatch w : watches) {
            if (w.events != 0) {
                fds[i] = w.fd;
                events[i] = (short) w.events;
                polled[i++] = w;
            }
        }
        changed = false;
    }
}
