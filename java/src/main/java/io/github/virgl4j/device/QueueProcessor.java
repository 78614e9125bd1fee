package io.github.virgl4j.device;

import io.github.virgl4j.device.virtqueue.DescriptorChain;
import io.github.virgl4j.device.virtqueue.SplitVirtqueue;
import io.github.virgl4j.device.virtqueue.VirtqueueException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one virtqueue of a {@link VirtioGpu} (controlq 0 or cursorq 1, virtio spec 5.7.2):
 * on each kick, pops the chains the driver published (one round per {@link #process()} call),
 * hands each request to the device and, when the response is ready (after its fence, for
 * fenced requests), writes it into the chain's device-writable buffers, returns the chain on
 * the used ring and interrupts the driver if it wants to be told. Responses may complete out
 * of order, as virtio allows.
 *
 * <p>A malformed ring (loops, addresses outside memory, writable buffers over the rings) marks
 * the queue broken: processing stops until the driver resets the device, instead of spinning
 * or reading out of bounds.
 */
public final class QueueProcessor {
    private static final Logger LOG = Logger.getLogger(QueueProcessor.class.getName());
    /** The request header plus the largest command body other than SUBMIT_3D's stream. */
    private static final int MAX_FIXED_REQUEST = 4096;

    private final VirtioGpu gpu;
    private final SplitVirtqueue queue;
    private final Runnable interrupt;
    private final int maxRequest;
    private volatile boolean broken;

    /**
     * @param interrupt called (on any thread) when the driver should be notified of used buffers
     */
    public QueueProcessor(VirtioGpu gpu, SplitVirtqueue queue, Runnable interrupt) {
        this.gpu = gpu;
        this.queue = queue;
        this.interrupt = interrupt;
        int submit = gpu.config().limits().maxSubmitBytes();
        int entries = gpu.config().limits().maxBackingEntries() * 16;
        this.maxRequest = MAX_FIXED_REQUEST + Math.max(submit, entries);
    }

    public SplitVirtqueue queue() {
        return queue;
    }

    /** Whether a malformed ring stopped this queue (the driver must reset the device). */
    public boolean isBroken() {
        return broken || queue.isBroken();
    }

    /**
     * One round: reads avail.idx once and handles the chains it published (at most the queue
     * size); returns how many were taken. Chains published meanwhile wait for the next call,
     * so a round is bounded whatever the driver does: call again while {@link #hasPending()}.
     */
    public int process() {
        int round;
        try {
            synchronized (queue) {
                round = isBroken() ? 0 : queue.refresh();
            }
        } catch (VirtqueueException e) {
            markBroken(e);
            return 0;
        }
        int taken = 0;
        while (taken < round && !isBroken()) {
            Optional<DescriptorChain> next;
            try {
                synchronized (queue) {
                    next = queue.pop();
                }
            } catch (VirtqueueException e) {
                markBroken(e);
                break;
            }
            if (next.isEmpty()) {
                break;
            }
            taken++;
            DescriptorChain chain = next.get();
            ByteBuffer request;
            try {
                request = chain.readAll(maxRequest);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, gpu.name() + ": unreadable request: " + e.getMessage());
                request = ByteBuffer.allocate(0); // decodes to ERR_UNSPEC
            }
            gpu.submit(request).whenComplete((response, failure) -> complete(chain, response));
        }
        return taken;
    }

    /** Whether the driver has published chains that {@link #process()} has not taken yet. */
    public boolean hasPending() {
        try {
            synchronized (queue) {
                return !isBroken() && queue.refresh() > 0;
            }
        } catch (VirtqueueException e) {
            markBroken(e);
            return false;
        }
    }

    private void markBroken(VirtqueueException e) {
        broken = true;
        LOG.log(Level.WARNING, gpu.name() + ": virtqueue broken, device needs reset: " + e.getMessage());
    }

    private void complete(DescriptorChain chain, ByteBuffer response) {
        synchronized (queue) {
            int written = 0;
            if (response != null && chain.writableLength() > 0) {
                try {
                    written = chain.writeAll(response);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, gpu.name() + ": response not writable: " + e.getMessage());
                }
            }
            queue.pushUsed(chain.head(), written);
            if (queue.needsNotification()) {
                interrupt.run();
            }
        }
    }
}
