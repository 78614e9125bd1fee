package io.github.virgl4j.stream;

import java.nio.charset.StandardCharsets;

/**
 * The stream file format, version 1 (extension {@code .vgs}). Little-endian throughout.
 *
 * <pre>
 *  offset  size  field
 *  0       8     magic "VIRGL4JS"
 *  8       2     format version (1)
 *  10      2     reserved, 0
 *  12      4     manifest length M (at most 1 MiB)
 *  16      M     manifest, JSON (UTF-8): see {@link StreamManifest}
 *  16+M    4     CRC-32 of the manifest bytes
 *  20+M    ...   records, one zlib (deflate) stream to the end of the file
 * </pre>
 *
 * Each record is {@code u8 tag, u32 payload length, payload, u32 CRC-32 of tag+length+payload}:
 * <ul>
 *   <li>{@link #REQUEST}: {@code u32 response type as recorded, request bytes} (a virtio-gpu
 *       request exactly as the guest sent it, SUBMIT_3D payload and ATTACH_BACKING entries
 *       included);</li>
 *   <li>{@link #BACKING}: {@code u32 resource id, u64 offset, bytes}: guest bytes of that
 *       resource's backing that the next REQUEST reads (only bytes that changed since the last time
 *       they were recorded or written by the host, so a replay's memory must start zeroed at each
 *       attach and be written by the replayed transfers from the host);</li>
 *   <li>{@link #FRAME}: {@code u32 frame index, u8 kind, u32 source id, u32 width, u32 height,
 *       32 bytes SHA-256, PNG bytes or none}: the previous REQUEST produced frame {@code index};
 *       the PNG is a reference image for comparisons with a tolerance;</li>
 *   <li>{@link #REFERENCE}: {@code u32 frame index, PNG bytes}: a reference image for an
 *       earlier frame (the last frame's comes at the end);</li>
 *   <li>{@link #ENTRIES}: {@code u32 n, n bytes 0/1}: the next REQUEST is a refused ATTACH_BACKING
 *       or RESOURCE_CREATE_BLOB, and which of its scatter-gather entries lay inside guest memory
 *       (so a replay refuses it for the same reason);</li>
 *   <li>{@link #RESET}: no payload: the device was reset (virtio reset) here;</li>
 *   <li>{@link #END}: {@code u64 number of records before it}: a stream without it is truncated.</li>
 * </ul>
 */
public final class StreamFormat {
    public static final String EXTENSION = ".vgs";
    static final byte[] MAGIC = "VIRGL4JS".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int MAX_MANIFEST_BYTES = 1 << 20;
    /** No record is larger (the SUBMIT_3D limit is 16 MiB; backing data is cut into chunks). */
    static final int MAX_RECORD_BYTES = 32 << 20;
    /** Backing data is written in chunks of at most this many bytes. */
    static final int BACKING_CHUNK = 8 << 20;

    static final int REQUEST = 1;
    static final int BACKING = 2;
    static final int FRAME = 3;
    static final int REFERENCE = 4;
    static final int ENTRIES = 5;
    static final int RESET = 6;
    static final int END = 0xff;

    private StreamFormat() {
    }

    /** The file's name without {@link #EXTENSION}. */
    public static String baseName(java.nio.file.Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name;
    }

    static String tagName(int tag) {
        return switch (tag) {
            case REQUEST -> "REQUEST";
            case BACKING -> "BACKING";
            case FRAME -> "FRAME";
            case REFERENCE -> "REFERENCE";
            case ENTRIES -> "ENTRIES";
            case RESET -> "RESET";
            case END -> "END";
            default -> "tag 0x" + Integer.toHexString(tag);
        };
    }
}
