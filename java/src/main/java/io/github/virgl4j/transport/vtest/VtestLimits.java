package io.github.virgl4j.transport.vtest;

/**
 * Caps on every guest-supplied length the decoder accepts; anything larger is a
 * {@link VtestProtocolException.Kind#TOO_LARGE} error before a byte is allocated.
 *
 * @param maxNameBytes     CREATE_RENDERER name (Mesa sends at most 64)
 * @param maxCommandBytes  SUBMIT_CMD, SUBMIT_CMD2 and SYNC_WAIT payloads
 * @param maxTransferBytes inline TRANSFER_PUT data and the TRANSFER_GET reply size (v0/v1)
 * @param maxResourceBytes RESOURCE_CREATE2 shm size and RESOURCE_CREATE_BLOB size
 */
public record VtestLimits(int maxNameBytes, long maxCommandBytes, long maxTransferBytes,
                          long maxResourceBytes) {

    /** Generous for real clients: 4 KiB names, 64 MiB commands, 512 MiB transfers, 4 GiB shm. */
    public static final VtestLimits DEFAULT =
            new VtestLimits(4096, 64L << 20, 512L << 20, 4L << 30);

    public VtestLimits {
        if (maxNameBytes < 0 || maxCommandBytes < 0 || maxTransferBytes < 0 || maxResourceBytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        if (maxCommandBytes > Integer.MAX_VALUE - 8 || maxTransferBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("byte-array limits must fit a Java array");
        }
    }
}
