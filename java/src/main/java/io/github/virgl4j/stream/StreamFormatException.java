package io.github.virgl4j.stream;

import java.io.IOException;

/**
 * A stream file that cannot be read: bad magic or version, a corrupt manifest, or a record that
 * is truncated, corrupt (CRC), malformed or out of place. The message names the file and the record.
 */
public final class StreamFormatException extends IOException {
    private final long record;

    StreamFormatException(String message, long record, Throwable cause) {
        super(message, cause);
        this.record = record;
    }

    StreamFormatException(String message, long record) {
        this(message, record, null);
    }

    /** The 0-based index of the bad record, or -1 for the header and manifest. */
    public long record() {
        return record;
    }
}
