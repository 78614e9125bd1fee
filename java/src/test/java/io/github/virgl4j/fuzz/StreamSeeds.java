package io.github.virgl4j.fuzz;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link StreamFuzzTest}: real recorded streams of test-streams/ as RAW inputs (the
 * fbdev console of a real guest, a glmark2 scene), one of them truncated, and a 2D console
 * session (create, attach two entries, transfer, scanout, partial transfer, flush, detach, unref)
 * as a RECORD input.
 */
final class StreamSeeds {
    private StreamSeeds() {
    }

    private static final Path STREAMS = Path.of(System.getProperty("virgl4j.project.root", ".."), "test-streams");

    static Map<String, byte[]> inputs() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] console = read("console-2d.vgs");
        m.put("raw-console-2d", raw(console));
        m.put("raw-glmark2-effect2d", raw(read("glmark2-effect2d.vgs")));
        m.put("raw-console-2d-truncated", raw(Arrays.copyOf(console, console.length * 2 / 3)));
        CtrlHeader h = CtrlHeader.EMPTY;
        Rect all = new Rect(0, 0, 32, 16);
        m.put("record-console", withMode(RECORD_MODE_BYTE, SeedSource.seed(DeviceSeeds.encode(List.of(
                new GpuCommand.ResourceCreate2d(h, 7, 2, 32, 16),
                new GpuCommand.ResourceAttachBacking(h, 7, List.of(new MemEntry(DeviceFixture.RAM_BASE, 1024),
                        new MemEntry(DeviceFixture.RAM_BASE + 0x8000, 1024))),
                new GpuCommand.TransferToHost2d(h, all, 0, 7),
                new GpuCommand.SetScanout(h, all, 0, 7),
                new GpuCommand.TransferToHost2d(h, new Rect(0, 4, 32, 4), 4 * 32 * 4, 7),
                new GpuCommand.ResourceFlush(h, all, 7),
                new GpuCommand.ResourceDetachBacking(h, 7),
                new GpuCommand.ResourceUnref(h, 7))))));
        return m;
    }

    /** consumeInt(RAW, RECORD) reads the last byte: 1 selects RECORD, 0 RAW. */
    private static final byte RECORD_MODE_BYTE = 1;

    private static byte[] raw(byte[] file) {
        return withMode((byte) 0, file);
    }

    private static byte[] withMode(byte mode, byte[] rest) {
        byte[] out = Arrays.copyOf(rest, rest.length + 1);
        out[rest.length] = mode;
        return out;
    }

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(STREAMS.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
