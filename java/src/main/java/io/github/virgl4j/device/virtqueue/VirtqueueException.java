package io.github.virgl4j.device.virtqueue;

/**
 * The driver broke the virtqueue rules (bad ring address or size, descriptor loop, index or
 * address out of range, bad indirect table). The queue cannot be trusted any more: the device
 * should stop processing it and signal DEVICE_NEEDS_RESET (virtio spec 1.2 §2.1.2) rather than
 * retry. Checked, so every queue loop has to decide what to do.
 */
public class VirtqueueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what the driver did wrong */
    public VirtqueueException(String message) {
        super(message);
    }

    /** @param message what the driver did wrong; {@code cause} the underlying failure */
    public VirtqueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
