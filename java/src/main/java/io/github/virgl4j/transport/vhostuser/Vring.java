package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.QueueProcessor;
import io.github.virgl4j.device.virtqueue.SplitVirtqueue;

/**
 * What the front end told us about one virtqueue (size, addresses, base, eventfds, enabled),
 * and, while started, its {@link SplitVirtqueue}, {@link QueueProcessor} and worker. Fields are
 * guarded by the back end's lock; the descriptors are owned here and closed on replacement.
 */
final class Vring {
    final int index;
    int num;
    VringAddress address;
    int base;
    int kickFd = -1;
    private int callFd = -1;
    private int errFd = -1;
    volatile boolean enabled;
    /** Set by SET_VRING_KICK, cleared by GET_VRING_BASE (vhost-user "Ring states"). */
    boolean started;
    SplitVirtqueue queue;
    volatile QueueProcessor processor;
    KickWorker worker;
    /** lastAvailIdx / usedIdx when the queue was made, to count requests still in flight. */
    int availAtStart;
    int usedAtStart;

    Vring(int index) {
        this.index = index;
    }

    /** Requests popped but not yet returned on the used ring (needs the queue's monitor). */
    int inFlight() {
        SplitVirtqueue q = queue;
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            int popped = (q.lastAvailIdx() - availAtStart) & 0xffff;
            int pushed = (q.usedIdx() - usedAtStart) & 0xffff;
            return (popped - pushed) & 0xffff;
        }
    }

    /** Signals the driver (call eventfd); a no-op when the front end polls. */
    synchronized void interrupt() {
        // Under the lock: QEMU swaps the call fd at run time (notifier masking), and a write
        // to a descriptor number closed and reused meanwhile would hit some other file.
        if (callFd >= 0) {
            Native.eventfdWrite(callFd, 1);
        }
    }

    /** Signals a ring error to the front end (err eventfd), if it gave one. */
    synchronized void signalError() {
        if (errFd >= 0) {
            Native.eventfdWrite(errFd, 1);
        }
    }

    void replaceKick(int fd) {
        Native.close(kickFd);
        kickFd = fd;
    }

    synchronized void replaceCall(int fd) {
        Native.close(callFd);
        callFd = fd;
    }

    synchronized void replaceErr(int fd) {
        Native.close(errFd);
        errFd = fd;
    }

    void closeFds() {
        replaceKick(-1);
        replaceCall(-1);
        replaceErr(-1);
    }
}
