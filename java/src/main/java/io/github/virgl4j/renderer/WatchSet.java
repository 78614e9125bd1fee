package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_poll;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * The render thread's {@link FdWatch}es and the poll(2) set built from them, with the thread's
 * own wake-up and virglrenderer descriptors first. Render thread only.
 */
final class WatchSet {
    private static final Logger LOG = Logger.getLogger(WatchSet.class.getName());

    private final List<FdWatch> watches = new ArrayList<>();
    private boolean changed = true;
    // The poll tables live in native memory, passed by address: with Java arrays, JNI would copy
    // all three in and out (a malloc and free each) on every poll(2).
    private PollTable table = new PollTable(8);
    private int size;
    private FdWatch[] polled = new FdWatch[0];
    /** Most descriptors one poll takes (v4j_poll's own limit). */
    static final int MAX_POLLED = 1024;
    private boolean warnedFull;

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
        PollTable t = table;
        int n = v4j_poll(t.fdsAt, t.eventsAt, t.reventsAt, size, timeoutMs);
        if (n <= 0) {
            return false;
        }
        for (int i = pollFd >= 0 ? 2 : 1; i < size; i++) {
            FdWatch w = polled[i];
            short ready = t.revents.get(i);
            if (ready != 0 && !w.cancelled) {
                run(w, ready);
            }
        }
        return (t.revents.get(0) & FdWatch.READ) != 0;
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
        if (size > MAX_POLLED) { // v4j_poll refuses more (EINVAL): the loop would spin serving nobody
            if (!warnedFull) {
                LOG.warning(size + " descriptors to poll; only the first " + MAX_POLLED + " are served until some close");
                warnedFull = true;
            }
            size = MAX_POLLED;
        }
        if (size > table.capacity) {
            table = new PollTable(Math.max(size, 2 * table.capacity));
        }
        if (polled.length < size) {
            polled = new FdWatch[table.capacity];
        }
        PollTable t = table;
        t.set(0, wakeFd, FdWatch.READ);
        if (pollFd >= 0) {
            t.set(1, pollFd, FdWatch.READ);
        }
        int i = first;
        for (FdWatch w : watches) {
            if (w.events != 0 && i < size) {
                t.set(i, w.fd, w.events);
                polled[i++] = w;
            }
        }
        Arrays.fill(polled, size, polled.length, null); // forget dropped watches
        this.size = size;
        changed = false;
    }

    /**
     * poll(2)'s three arrays for up to capacity descriptors, in direct buffers (freed with
     * them) and the pointers JavaCPP passes by address.
     */
    private static final class PollTable {
        final int capacity;
        final IntBuffer fds;
        final ShortBuffer events;
        final ShortBuffer revents;
        final IntPointer fdsAt;
        final ShortPointer eventsAt;
        final ShortPointer reventsAt;

        PollTable(int capacity) {
            this.capacity = capacity;
            fds = ByteBuffer.allocateDirect(4 * capacity).order(ByteOrder.nativeOrder()).asIntBuffer();
            events = ByteBuffer.allocateDirect(2 * capacity).order(ByteOrder.nativeOrder()).asShortBuffer();
            revents = ByteBuffer.allocateDirect(2 * capacity).order(ByteOrder.nativeOrder()).asShortBuffer();
            fdsAt = new IntPointer(fds);
            eventsAt = new ShortPointer(events);
            reventsAt = new ShortPointer(revents);
        }

        void set(int i, int fd, int interest) {
            fds.put(i, fd);
            events.put(i, (short) interest);
        }
    }
}
