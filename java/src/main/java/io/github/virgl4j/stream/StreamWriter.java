package io.github.virgl4j.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a stream file (see {@link StreamFormat}). Records go, compressed, to a temporary file
 * beside the target while recording; {@link #finish} puts the manifest in front and moves the
 * result into place, so a stream file that exists is complete.
 */
final class StreamWriter implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path target;
    private final Path records;
    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private long count;
    private boolean done;

    StreamWriter(Path target) throws IOException {
        this.target = target;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.records = Files.createTempFile(dir, "." + target.getFileName(), ".records");
        this.out = new DeflaterOutputStream(new BufferedOutputStream(Files.newOutputStream(records), 1 << 16),
                new Deflater(Deflater.DEFAULT_COMPRESSION), 1 << 16);
    }

    long records() {
        return count;
    }

    void request(int responseType, ByteBuffer request) throws IOException {
        ByteBuffer p = payload(4 + request.remaining());
        p.putInt(responseType).put(request.duplicate());
        write(StreamFormat.REQUEST, p);
    }

    void backing(int resourceId, long offset, byte[] bytes, int from, int length) throws IOException {
        for (int sent = 0; sent < length; sent += StreamFormat.BACKING_CHUNK) {
            int n = Math.min(StreamFormat.BACKING_CHUNK, length - sent);
            ByteBuffer p = payload(12 + n);
            p.putInt(resourceId).putLong(offset + sent).put(bytes, from + sent, n);
            write(StreamFormat.BACKING, p);
        }
    }

    void frame(int index, FrameKind kind, int sourceId, int width, int height, byte[] sha256, byte[] png)
            throws IOException {
        ByteBuffer p = payload(4 + 1 + 12 + 32 + png.length);
        p.putInt(index).put((byte) kind.ordinal()).putInt(sourceId).putInt(width).putInt(height).put(sha256).put(png);
        write(StreamFormat.FRAME, p);
    }

    void reference(int index, byte[] png) throws IOException {
        ByteBuffer p = payload(4 + png.length);
        p.putInt(index).put(png);
        write(StreamFormat.REFERENCE, p);
    }

    void entries(boolean[] inside) throws IOException {
        ByteBuffer p = payload(4 + inside.length);
        p.putInt(inside.length);
        for (boolean b : inside) {
            p.put((byte) (b ? 1 : 0));
        }
        write(StreamFormat.ENTRIES, p);
    }

    void reset() throws IOException {
        write(StreamFormat.RESET, payload(0));
    }

    private static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void write(int tag, ByteBuffer payload) throws IOException {
        byte[] head = payload(5).put((byte) tag).putInt(payload.capacity()).array();
        crc.reset();
        crc.update(head);
        crc.update(payload.array());
        out.write(head);
        out.write(payload.array());
        out.write(payload(4).putInt((int) crc.getValue()).array());
        count++;
    }

    /** Writes END, then the final file: header, manifest, records. */
    void finish(StreamManifest manifest) throws IOException {
        long before = count;
        write(StreamFormat.END, payload(8).putLong(before));
        out.close();
        byte[] json = JSON.writeValueAsBytes(manifest);
        if (json.length > StreamFormat.MAX_MANIFEST_BYTES) {
            throw new IOException("manifest of " + json.length + " bytes is larger than 1 MiB");
        }
        Path assembled = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try (DataOutputStream file = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(assembled)));
             InputStream in = Files.newInputStream(records)) {
            CRC32 manifestCrc = new CRC32();
            manifestCrc.update(json);
            file.write(StreamFormat.MAGIC);
            file.write(payload(8).putShort((short) StreamFormat.VERSION).putShort((short) 0).putInt(json.length).array());
            file.write(json);
            file.write(payload(4).putInt((int) manifestCrc.getValue()).array());
            in.transferTo(file);
        }
        Files.move(assembled, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(records);
        done = true;
    }

    /** Abandons an unfinished stream (its temporary file is removed). */
    @Override
    public void close() throws IOException {
        if (!done) {
            out.close();
            Files.deleteIfExists(records);
            done = true;
        }
    }
}
