package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.stream.FrameResult;
import io.github.virgl4j.stream.ReplayReport;
import io.github.virgl4j.stream.StreamFormatException;
import io.github.virgl4j.stream.StreamManifest;
import io.github.virgl4j.stream.StreamReader;
import io.github.virgl4j.stream.StreamRecorder;
import io.github.virgl4j.stream.StreamReplayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (f): the test-stream reader and replayer. {@link #RAW} inputs are stream files of
 * any bytes (seeds: real streams of test-streams/): reading one to its end and replaying it on a
 * 2D device must either succeed or throw a {@link StreamFormatException} that names the file,
 * nothing else. {@link #RECORD} inputs are guest sessions ({@link RequestGen} requests, the device
 * target's input format) recorded by {@link StreamRecorder} from a 2D device over patterned guest
 * memory: the file must replay with every response and every frame as recorded (recording then
 * replaying is the identity), and the same file with a few bytes damaged must still only give
 * StreamFormatExceptions.
 */
class StreamFuzzTest {
    static final FuzzStats STATS = new FuzzStats("stream");
    static final int RAW = 0;
    static final int RECORD = 1;
    static final int MAX_REQUESTS = 24;
    private static final Path DIR = directory();

    private static Path directory() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "stream-fuzz")), "in");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void report() {
        STATS.write();
        if (!FuzzStats.fuzzing() && (STATS.get("outcome.identity") == 0 || STATS.get("outcome.format-error") == 0)) {
            throw new AssertionError("the seeds did not reach both a faithful replay and a format error: " + STATS);
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void stream(FuzzedDataProvider data) throws IOException {
        STATS.count("inputs");
        Path file = DIR.resolve("input.vgs");
        Files.deleteIfExists(file);
        if (data.consumeInt(RAW, RECORD) == RAW) {
            Files.write(file, data.consumeRemainingAsBytes());
            readAndReplay(file);
            return;
        }
        List<String> live = new ArrayList<>();
        List<Integer> responses = record(file, new FdpSource(data), live);
        if (responses.isEmpty()) {
            STATS.count("outcome.nothing-recorded");
            return;
        }
        ReplayReport r = StreamReplayer.replay(file, null, StreamReplayer.Options.defaults());
        if (!r.passed() || r.requests() != responses.size()
                || r.frames().stream().anyMatch(f -> f.status() != FrameResult.Status.MATCH)) {
            throw new AssertionError("a recording did not replay as recorded: " + r + "\nlive session: " + live);
        }
        STATS.count("outcome.identity");
        STATS.count("frames." + Math.min(r.frames().size(), 4));
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 3; i++) { // damage at spots the recording's own bytes pick
            int at = Math.floorMod(bytes[bytes.length / (i + 2)] * 7919 + i * 104729, bytes.length);
            bytes[at] ^= (byte) (1 << i);
        }
        Files.write(file, bytes);
        readAndReplay(file);
    }

    /** A 2D-only device with a recorder, fed the input's requests; returns the response types. */
    static List<Integer> record(Path file, Source src, List<String> live) throws IOException {
        RegionGuestMemory ram = GuestRam.allocate(DeviceFixture.RAM_BASE, DeviceFixture.RAM_SIZE);
        byte[] pattern = new byte[DeviceFixture.RAM_SIZE];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + (i >>> 12));
        }
        ram.write(DeviceFixture.RAM_BASE, pattern, 0, pattern.length);
        GpuConfig config = GpuConfig.defaults().withSize(64, 48).withLimits(DeviceFixture.LIMITS);
        StreamRecorder rec = StreamRecorder.create(file, config, null, new StreamManifest.Source("fuzz", null));
        List<Integer> out = new ArrayList<>();
        try (VirtioGpu gpu = rec.attach(VirtioGpu.builder(ram)).build()) {
            for (int i = 0; i < MAX_REQUESTS && src.more(); i++) {
                byte[] request = RequestGen.next(src);
                if (request == null) {
                    break;
                }
                GpuResponse response = GpuResponse.decode(gpu.handle(ByteBuffer.wrap(request)));
                out.add(response.type());
                live.add(GpuCommandDecoder.decode(ByteBuffer.wrap(request)) + " -> " + response);
            }
        }
        return out;
    }

    /** Reads file to its end and replays it: a report or a StreamFormatException naming the file. */
    private static void readAndReplay(Path file) throws IOException {
        try (StreamReader reader = StreamReader.open(file)) {
            while (reader.next() != null) {
                STATS.count("records");
            }
        } catch (StreamFormatException e) {
            check(file, e);
            return;
        }
        try {
            StreamReplayer.replay(file, null, StreamReplayer.Options.defaults());
            STATS.count("outcome.replayed");
        } catch (StreamFormatException e) {
            check(file, e);
        }
    }

    private static void check(Path file, StreamFormatException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith(file.toString())) {
            throw new AssertionError("a stream error that does not name its file: " + e.getMessage(), e);
        }
        STATS.count("outcome.format-error");
        STATS.count("error." + (e.record() < 0 ? "header" : "record"));
    }
}
