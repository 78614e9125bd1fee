package io.github.virgl4j.device.memory;

/**
 * A guest-supplied address range is not (entirely) backed by guest memory, wraps around the
 * 64-bit address space, or is otherwise unusable. Unchecked so handlers can let it reach one
 * catch that answers the guest with an error instead of crashing.
 */
public class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, with the offending address */
    public GuestMemoryException(String message) {
        super(message);
    }
}
