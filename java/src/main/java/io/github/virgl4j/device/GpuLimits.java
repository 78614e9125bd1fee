package io.github.virgl4j.device;

/**
 * What one device (one guest) may use. Exceeding a limit gets {@code ERR_OUT_OF_MEMORY}.
 *
 * @param maxResources      live resources (2D and 3D)
 * @param maxHostMemory     estimated host bytes of all resources (pixels of 2D resources, the
 *                          textures or buffers of 3D resources)
 * @param maxContexts       live 3D contexts
 * @param maxSubmitBytes    size of one SUBMIT_3D command stream
 * @param maxBackingEntries scatter-gather entries of one ATTACH_BACKING (QEMU uses 16384)
 */
public record GpuLimits(int maxResources, long maxHostMemory, int maxContexts, int maxSubmitBytes,
                        int maxBackingEntries) {
    public GpuLimits {
        if (maxResources < 1 || maxHostMemory < 1 || maxContexts < 1 || maxSubmitBytes < 4
                || maxBackingEntries < 1 || maxBackingEntries > 16384) {
            throw new IllegalArgumentException("bad limits " + this);
        }
    }

    /** 16384 resources, 1 GiB of resources, 64 contexts, 16 MiB per submit, 16384 sg entries. */
    public static GpuLimits defaults() {
        return new GpuLimits(16384, 1L << 30, 64, 16 << 20, 16384);
    }
}
