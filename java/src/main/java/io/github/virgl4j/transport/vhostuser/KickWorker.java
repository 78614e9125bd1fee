package io.github.virgl4j.transport.vhostuser;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that serves one started ring: it waits for the driver's kick eventfd (or, with
 * no kick descriptor, wakes every {@value #POLL_MS} ms to poll) and runs the ring's service
 * routine; when that says work is left, it runs it again at once (still checking for stop). {@link #wake()} makes it run the routine once more (after SET_VRING_ENABLE, so a
 * kick that came while the ring was disabled is not lost); {@link #stop()} ends it and waits.
 */
final class KickWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KickWorker.class.getName());
    static final int POLL_MS = 10;

    private final String name;
    private final int kickFd;
    private final int wakeFd;
    private final BooleanSupplier service;
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param kickFd  the driver's kick eventfd, or -1 to poll
     * @param service called on this worker's thread after each kick; returns true to be called
     *                again without waiting for one; must not throw
     */
    KickWorker(String name, int kickFd, BooleanSupplier service) {
        this.name = name;
        this.kickFd = kickFd;
        this.service = service;
        this.wakeFd = Native.eventfd();
        if (wakeFd < 0) {
            throw new IllegalStateException("eventfd failed: errno " + -wakeFd);
        }
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        Native.eventfdWrite(wakeFd, 1);
    }

    private void loop() {
        int[] fds = kickFd >= 0 ? new int[] {wakeFd, kickFd} : new int[] {wakeFd};
        short[] ready = new short[fds.length];
        boolean again = false;
        while (!stopping) {
            int n = Native.pollIn(fds, ready, again ? 0 : kickFd >= 0 ? -1 : POLL_MS);
            if (n < 0) {
                LOG.severe(name + ": poll failed (errno " + -n + "); ring no longer served");
                return;
            }
            if (stopping) {
                return;
            }
            if (n == 0) {
                Arrays.fill(ready, (short) 0); // timeout or EINTR: ready[] was not written
            }
            if (ready[0] != 0) {
                Native.eventfdRead(wakeFd);
            }
            if (fds.length > 1 && ready[1] != 0) {
                if ((ready[1] & ~1) != 0 && (ready[1] & 1) == 0) {
                    LOG.warning(name + ": kick descriptor reports an error (revents " + ready[1] + "); ring no longer served");
                    return;
                }
                Native.eventfdRead(kickFd);
            }
            try {
                again = service.getAsBoolean();
            } catch (RuntimeException | Error e) {
                again = false;
                LOG.log(Level.SEVERE, name + ": ring service failed", e);
            }
        }
    }

    /** Stops the thread and waits for it (it finishes a service run in progress first). */
    void stop() {
        stopping = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warning(name + ": worker did not stop within 10 s");
            }
        }
    }

    @Override
    public void close() {
        stop();
        if (!thread.isAlive()) {
            Native.close(wakeFd);
        }
    }
}
