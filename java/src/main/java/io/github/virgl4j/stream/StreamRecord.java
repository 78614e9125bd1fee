package io.github.virgl4j.stream;

/** One record of a stream file (see {@link StreamFormat}), parsed and checked. */
public sealed interface StreamRecord {

    /** A virtio-gpu request and the response type it got when recorded. */
    record Request(int responseType, byte[] bytes) implements StreamRecord {
    }

    /** Guest bytes at offset of a resource's backing that the next request reads. */
    record Backing(int resourceId, long offset, byte[] bytes) implements StreamRecord {
    }

    /** The previous request produced frame {@code index}; {@code png} is empty without a reference. */
    record Frame(int index, FrameKind kind, int sourceId, int width, int height, byte[] sha256, byte[] png)
            implements StreamRecord {
    }

    /** A reference image for frame {@code index}. */
    record Reference(int index, byte[] png) implements StreamRecord {
    }

    /** Which entries of the next (refused) request's scatter-gather list lay inside guest memory. */
    record Entries(boolean[] inside) implements StreamRecord {
    }

    /** The device was reset. */
    record Reset() implements StreamRecord {
    }

    /** The last record; {@code records} counts those before it. */
    record End(long records) implements StreamRecord {
    }
}
