package io.github.virgl4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests of the input being run, in a memory-mapped file: when native code kills the JVM
 * (SIGSEGV in virglrenderer: no Java exception, no Jazzer crash file), the kernel still has the
 * written pages, so {@code <witness dir>/<target>.witness} holds the requests that did it.
 * {@link ReplayWitness} sends them to a fresh device in a plain JVM to reproduce.
 *
 * <p>Layout (little-endian): int state (1 while an input runs), long input number, int request
 * count, int bytes used, then per request an int length and the bytes.
 */
final class CrashWitness implements AutoCloseable {
    static final int SIZE = 1 << 20;
    private static final int HEADER = 20;

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private long inputs;
    private int count;
    private int used = HEADER;

    private CrashWitness(FileChannel channel, MappedByteBuffer map) {
        this.channel = channel;
        this.map = map;
    }

    static Path file(String target) {
        return Path.of(System.getProperty("virgl4j.fuzz.witnessDir", "target/fuzz-witness"), target + ".witness");
    }

    static CrashWitness open(String target) {
        try {
            Path f = file(target);
            Files.createDirectories(f.getParent());
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            m.order(ByteOrder.LITTLE_ENDIAN);
            return new CrashWitness(ch, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void begin() {
        count = 0;
        used = HEADER;
        map.putLong(4, ++inputs).putInt(12, 0).putInt(16, used).putInt(0, 1);
    }

    void request(byte[] request) {
        if (used + 4L + request.length > SIZE) {
            return; // keeps the first requests; an input this large has not been seen
        }
        map.putInt(used, request.length).put(used + 4, request);
        used += 4 + request.length;
        map.putInt(12, ++count).putInt(16, used);
    }

    void end() {
        map.putInt(0, 0);
    }

    /** The requests of an input that did not end, or an empty list if the last one ended. */
    static List<byte[]> unfinished(Path file) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        if (b.limit() < HEADER || b.getInt(0) != 1) {
            return out;
        }
        int n = b.getInt(12);
        int at = HEADER;
        for (int i = 0; i < n; i++) {
            byte[] r = new byte[b.getInt(at)];
            b.get(at + 4, r);
            out.add(r);
            at += 4 + r.length;
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
