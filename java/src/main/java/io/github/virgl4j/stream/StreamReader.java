package io.github.virgl4j.stream;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads a stream file record by record (see {@link StreamFormat}), checking everything: magic,
 * version, manifest CRC and JSON, each record's tag, length (bounded before anything is
 * allocated), CRC and layout, and that END comes last with the right count. Any failure is a
 * {@link StreamFormatException} naming the file and the record; nothing else is thrown for any
 * file content.
 */
public final class StreamReader implements AutoCloseable {
    private final Path file;
    private final InputStream raw;
    private final DataInputStream in;
    private final StreamManifest manifest;
    private final CRC32 crc = new CRC32();
    private long index;
    private boolean ended;

    private StreamReader(Path file, InputStream raw) throws IOException {
        this.file = file;
        this.raw = raw;
        DataInputStream head = new DataInputStream(raw);
        this.manifest = readManifest(head);
        this.in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(raw, new Inflater(), 1 << 16), 1 << 16));
    }

    /** Opens a stream file and reads its header and manifest. */
    public static StreamReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new StreamReader(file, raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public StreamManifest manifest() {
        return manifest;
    }

    /** Index of the next record. */
    public long position() {
        return index;
    }

    private StreamFormatException bad(String what, Throwable cause) {
        return new StreamFormatException(file + ": " + what, -1, cause);
    }

    private StreamManifest readManifest(DataInputStream head) throws IOException {
        byte[] header = new byte[StreamFormat.HEADER_BYTES];
        try {
            head.readFully(header);
        } catch (EOFException e) {
            throw bad("not a virgl4j stream (shorter than its " + StreamFormat.HEADER_BYTES + "-byte header)", e);
        }
        if (!Arrays.equals(header, 0, 8, StreamFormat.MAGIC, 0, 8)) {
            throw bad("not a virgl4j stream (bad magic)", null);
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(h.getShort(8));
        if (version != StreamFormat.VERSION) {
            throw bad("stream format version " + version + " is not supported (this virgl4j reads version "
                    + StreamFormat.VERSION + ")", null);
        }
        int length = h.getInt(12);
        if (length <= 0 || length > StreamFormat.MAX_MANIFEST_BYTES) {
            throw bad("manifest length " + Integer.toUnsignedString(length) + " is out of range", null);
        }
        byte[] json = new byte[length];
        int stored;
        try {
            head.readFully(json);
            stored = Integer.reverseBytes(head.readInt());
        } catch (EOFException e) {
            throw bad("truncated inside the manifest", e);
        }
        CRC32 c = new CRC32();
        c.update(json);
        if ((int) c.getValue() != stored) {
            throw bad("manifest is corrupt (CRC mismatch)", null);
        }
        try {
            StreamManifest m = StreamWriter.JSON.readValue(json, StreamManifest.class);
            if (m.formatVersion() != StreamFormat.VERSION || m.frames() == null) {
                throw bad("manifest says format version " + m.formatVersion(), null);
            }
            return m;
        } catch (IOException | RuntimeException e) {
            if (e instanceof StreamFormatException sfe) {
                throw sfe;
            }
            throw bad("manifest is not valid: " + e.getMessage(), e);
        }
    }

    /** The next record; END is returned once, then null. */
    public StreamRecord next() throws StreamFormatException {
        if (ended) {
            return null;
        }
        long at = index;
        int tag = -1;
        try {
            int first = in.read();
            if (first < 0) {
                throw recordError(at, -1, "the stream ends after record " + (at - 1) + " without an END record "
                        + "(truncated)", null);
            }
            tag = first;
            int length = Integer.reverseBytes(in.readInt());
            if (length < 0 || length > StreamFormat.MAX_RECORD_BYTES) {
                throw recordError(at, tag, "length " + Integer.toUnsignedString(length) + " is out of range", null);
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            int stored = Integer.reverseBytes(in.readInt());
            crc.reset();
            crc.update(tag);
            crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
            crc.update(payload);
            if ((int) crc.getValue() != stored) {
                throw recordError(at, tag, "corrupt (CRC mismatch)", null);
            }
            StreamRecord r = parse(at, tag, ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN));
            index++;
            if (r instanceof StreamRecord.End end) {
                if (end.records() != at) {
                    throw recordError(at, tag, "END counts " + end.records() + " records, the file has " + at, null);
                }
                if (in.read() >= 0) {
                    throw recordError(at + 1, -1, "data after the END record", null);
                }
                ended = true;
            }
            return r;
        } catch (EOFException e) {
            throw recordError(at, tag, "truncated (the file ends inside it)", e);
        } catch (ZipException e) {
            throw recordError(at, tag, "compressed data is corrupt (" + e.getMessage() + ")", e);
        } catch (StreamFormatException e) {
            throw e;
        } catch (IOException e) {
            throw recordError(at, tag, "read failed: " + e.getMessage(), e);
        }
    }

    private StreamFormatException recordError(long at, int tag, String what, Throwable cause) {
        String name = tag < 0 ? "" : " (" + StreamFormat.tagName(tag) + ")";
        return new StreamFormatException(file + ": record " + at + name + ": " + what, at, cause);
    }

    private StreamRecord parse(long at, int tag, ByteBuffer p) throws StreamFormatException {
        int n = p.remaining();
        switch (tag) {
            case StreamFormat.REQUEST -> {
                need(at, tag, n, 4); // any request bytes: a hostile guest's short request is recorded too
                int type = p.getInt();
                return new StreamRecord.Request(type, rest(p));
            }
            case StreamFormat.BACKING -> {
                need(at, tag, n, 12);
                int id = p.getInt();
                long offset = p.getLong();
                if (offset < 0) {
                    throw recordError(at, tag, "negative offset", null);
                }
                return new StreamRecord.Backing(id, offset, rest(p));
            }
            case StreamFormat.FRAME -> {
                need(at, tag, n, 4 + 1 + 12 + 32);
                int frame = p.getInt();
                FrameKind kind = FrameKind.of(p.get());
                int source = p.getInt();
                int w = p.getInt();
                int h = p.getInt();
                if (kind == null || frame < 0 || w <= 0 || h <= 0 || w > 16384 || h > 16384) {
                    throw recordError(at, tag, "bad frame header (index " + frame + ", " + w + "x" + h + ")", null);
                }
                byte[] sha = new byte[32];
                p.get(sha);
                return new StreamRecord.Frame(frame, kind, source, w, h, sha, rest(p));
            }
            case StreamFormat.REFERENCE -> {
                need(at, tag, n, 4);
                return new StreamRecord.Reference(p.getInt(), rest(p));
            }
            case StreamFormat.ENTRIES -> {
                need(at, tag, n, 4);
                int count = p.getInt();
                if (count < 0 || count > io.github.virgl4j.device.protocol.GpuCommandDecoder.MAX_MEM_ENTRIES
                        || count != p.remaining()) {
                    throw recordError(at, tag, "entry count " + Integer.toUnsignedString(count) + " for "
                            + p.remaining() + " bytes", null);
                }
                boolean[] inside = new boolean[count];
                for (int i = 0; i < count; i++) {
                    inside[i] = p.get() != 0;
                }
                return new StreamRecord.Entries(inside);
            }
            case StreamFormat.RESET -> {
                if (n != 0) {
                    throw recordError(at, tag, "payload of " + n + " bytes, expected none", null);
                }
                return new StreamRecord.Reset();
            }
            case StreamFormat.END -> {
                if (n != 8) {
                    throw recordError(at, tag, "payload of " + n + " bytes, expected 8", null);
                }
                return new StreamRecord.End(p.getLong());
            }
            default -> throw recordError(at, tag, "unknown record type", null);
        }
    }

    private void need(long at, int tag, int have, int least) throws StreamFormatException {
        if (have < least) {
            throw recordError(at, tag, "payload of " + have + " bytes is shorter than " + least, null);
        }
    }

    private static byte[] rest(ByteBuffer p) {
        byte[] b = new byte[p.remaining()];
        p.get(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
