package io.github.virgl4j.renderer;

/**
 * A virglrenderer call failed. {@link #errno()} is the positive errno it returned (EINVAL 22 for
 * a bad box, an unknown resource or a malformed command buffer; ENOMEM 12 when out of memory).
 */
public class RendererException extends RuntimeException {
    public static final int EINVAL = 22;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;

    private final int errno;

    public RendererException(String call, int errno) {
        super(call + " failed: errno " + errno);
        this.errno = errno;
    }

    public RendererException(String message) {
        super(message);
        this.errno = EINVAL;
    }

    public int errno() {
        return errno;
    }
}
