package io.github.virgl4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.cli.Main;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponseType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import io.github.virgl4j.testing.Console;
import org.junit.jupiter.api.Test;

/** Corrupt, truncated and inconsistent stream files get clear errors naming the record, never a crash. */
class StreamFileErrorsTest extends RecordedSceneTest {
    private static byte[] bytes;
    /** Where the compressed records start. */
    private static int recordsStart;

    @BeforeAll
    static void layout() throws IOException {
        bytes = Files.readAllBytes(file);
        int manifest = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(12);
        recordsStart = StreamFormat.HEADER_BYTES + manifest + 4;
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Reads every record; returns how many. */
    private static long readAll(Path p) throws IOException {
        try (StreamReader r = StreamReader.open(p)) {
            while (r.next() != null) {
                // all of them
            }
            return r.position();
        }
    }

    @Test
    void theGoodFileReadsToItsEnd() throws IOException {
        assertEquals(StreamReplayer.manifest(file).counts().records(), readAll(file));
    }

    @Test
    void aTruncatedFileNamesTheRecordWhereItEnds() throws IOException {
        for (int cut : new int[] {recordsStart + 10, (recordsStart + bytes.length) / 2, bytes.length - 1}) {
            Path p = write("cut-" + cut + ".vgs", java.util.Arrays.copyOf(bytes, cut));
            StreamFormatException e = assertThrows(StreamFormatException.class, () -> readAll(p));
            assertTrue(e.getMessage().startsWith(p + ": record "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
            assertTrue(e.record() >= 0);
        }
    }

    @Test
    void aTruncatedHeaderOrManifestIsSaidSo() throws IOException {
        Path empty = write("empty.vgs", new byte[0]);
        assertTrue(assertThrows(StreamFormatException.class, () -> readAll(empty)).getMessage()
                .contains("not a virgl4j stream"));
        Path half = write("half-manifest.vgs", java.util.Arrays.copyOf(bytes, recordsStart - 20));
        StreamFormatException e = assertThrows(StreamFormatException.class, () -> readAll(half));
        assertTrue(e.getMessage().contains("truncated inside the manifest"), e.getMessage());
        assertEquals(-1, e.record());
    }

    @Test
    void badMagicVersionAndManifestAreSaidSo() throws IOException {
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(StreamFormatException.class, () -> readAll(write("magic.vgs", magic)))
                .getMessage().contains("bad magic"));
        byte[] version = bytes.clone();
        version[8] = 9;
        assertTrue(assertThrows(StreamFormatException.class, () -> readAll(write("version.vgs", version)))
                .getMessage().contains("format version 9 is not supported"));
        byte[] manifest = bytes.clone();
        manifest[StreamFormat.HEADER_BYTES + 5] ^= 0x20;
        assertTrue(assertThrows(StreamFormatException.class, () -> readAll(write("manifest.vgs", manifest)))
                .getMessage().contains("manifest is corrupt"));
    }

    @Test
    void aFlippedByteInTheRecordsNamesARecord() throws IOException {
        for (int at : new int[] {recordsStart + 3, recordsStart + 200, bytes.length / 2, bytes.length - 6, bytes.length - 2}) {
            byte[] b = bytes.clone();
            b[at] ^= 0x5a;
            Path p = write("flip-" + at + ".vgs", b);
            StreamFormatException e = assertThrows(StreamFormatException.class, () -> readAll(p), "flip at " + at);
            assertTrue(e.getMessage().startsWith(p + ": record "), e.getMessage());
        }
    }

    @Test
    void randomDamageNeverThrowsAnythingElse() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] b = bytes.clone();
            int kind = random.nextInt(3);
            if (kind == 0) {
                b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            } else {
                for (int n = 1 + random.nextInt(kind == 1 ? 2 : 40); n > 0; n--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            Path p = write("random.vgs", b);
            try {
                readAll(p);
            } catch (StreamFormatException expected) {
                assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
            }
            if (i % 10 == 0) { // a replay of damage: a report or a StreamFormatException, the device unharmed
                try {
                    StreamReplayer.replay(p, renderer, StreamReplayer.Options.defaults());
                } catch (StreamFormatException expected) {
                    assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
                }
            }
        }
        assertTrue(StreamReplayer.replay(file, renderer, StreamReplayer.Options.defaults()).passed());
    }

    @Test
    void backingDataForAResourceWithoutBackingNamesItsRequest() throws IOException {
        Path p = dir.resolve("orphan.vgs");
        try (StreamWriter w = new StreamWriter(p)) {
            w.backing(99, 0, new byte[16], 0, 16);
            w.request(GpuResponseType.OK_DISPLAY_INFO,
                    GpuCommandEncoder.encode(new GpuCommand.GetDisplayInfo(CtrlHeader.EMPTY)));
            w.finish(new StreamManifest(StreamFormat.VERSION, "now", new StreamManifest.Source("test", null), null,
                    null, new StreamManifest.Counts(3, 1, 16, 0), List.of()));
        }
        StreamFormatException e = assertThrows(StreamFormatException.class,
                () -> StreamReplayer.replay(p, renderer, StreamReplayer.Options.defaults()));
        assertTrue(e.getMessage().contains("record 1 (REQUEST): 16 recorded bytes at offset 0 do not fit the backing "
                + "of resource 99"), e.getMessage());
    }

    @Test
    void aGuestRequestShorterThanAHeaderIsRecordedAndReplayed() throws IOException {
        // found by StreamFuzzTest: the reader refused REQUEST records of fewer than 8 request bytes
        Path p = dir.resolve("short.vgs");
        io.github.virgl4j.device.GpuConfig config = io.github.virgl4j.device.GpuConfig.defaults();
        StreamRecorder rec = StreamRecorder.create(p, config, null, new StreamManifest.Source("short", null));
        try (io.github.virgl4j.device.VirtioGpu gpu = rec.attach(io.github.virgl4j.device.VirtioGpu.builder(
                io.github.virgl4j.device.GuestRam.allocate(0x1000_0000L, 4096))).build()) {
            gpu.handle(java.nio.ByteBuffer.wrap(new byte[] {1, 1, 0, 0, 0, 0, 0}));
            gpu.handle(java.nio.ByteBuffer.wrap(new byte[0]));
        }
        ReplayReport r = StreamReplayer.replay(p, null, StreamReplayer.Options.defaults());
        assertEquals(2, r.requests());
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void refusedBackingsAndResetsReplayAsRecorded() throws IOException {
        // found by StreamFuzzTest: a refused ATTACH_BACKING whose entries lay in guest memory was
        // refused for another reason on replay (the replay's memory did not hold them)
        Path p = dir.resolve("refused.vgs");
        io.github.virgl4j.device.GpuConfig config = io.github.virgl4j.device.GpuConfig.defaults()
                .withLimits(new io.github.virgl4j.device.GpuLimits(8, 1 << 20, 2, 1024, 2));
        StreamRecorder rec = StreamRecorder.create(p, config, null, new StreamManifest.Source("refused", null));
        List<Integer> live = new java.util.ArrayList<>();
        long ram = 0x1000_0000L;
        try (io.github.virgl4j.device.VirtioGpu gpu = rec.attach(io.github.virgl4j.device.VirtioGpu.builder(
                io.github.virgl4j.device.GuestRam.allocate(ram, 1 << 16))).build()) {
            java.util.function.Consumer<GpuCommand> send = c -> live.add(io.github.virgl4j.device.protocol.GpuResponse
                    .decode(gpu.handle(GpuCommandEncoder.encode(c))).type());
            send.accept(new GpuCommand.ResourceCreate2d(CtrlHeader.EMPTY, 1, 2, 8, 8));
            var e = new io.github.virgl4j.device.protocol.MemEntry(ram, 256);
            send.accept(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1, List.of(e, e, e))); // 3 > 2 entries
            send.accept(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1,
                    List.of(new io.github.virgl4j.device.protocol.MemEntry(0x9000_0000L, 256)))); // outside RAM
            send.accept(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1, List.of(e)));
            gpu.reset();
            send.accept(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1, List.of(e))); // gone after reset
            send.accept(new GpuCommand.ResourceCreate2d(CtrlHeader.EMPTY, 1, 2, 8, 8));
        }
        assertEquals(List.of(GpuResponseType.OK_NODATA, GpuResponseType.ERR_INVALID_PARAMETER, GpuResponseType.ERR_UNSPEC,
                GpuResponseType.OK_NODATA, GpuResponseType.ERR_INVALID_RESOURCE_ID, GpuResponseType.OK_NODATA), live);
        ReplayReport r = StreamReplayer.replay(p, null, StreamReplayer.Options.defaults());
        assertTrue(r.passed(), r.toString());
        assertEquals(6, r.requests());
    }

    @Test
    void theCliExitsNonZeroWithTheRecordInItsMessage() throws IOException {
        Path cut = write("cli-cut.vgs", java.util.Arrays.copyOf(bytes, bytes.length - 40));
        int[] rc = new int[1];
        String text = Console.stderr(() -> rc[0] = Main.run("replay", "--check", "--backend=llvmpipe", cut.toString()));
        assertEquals(1, rc[0]);
        assertTrue(text.contains("virgl4j replay: " + cut + ": record "), text);
    }
}
