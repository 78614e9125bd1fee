package io.github.virgl4j.fuzz;

import static io.github.virgl4j.fuzz.DeviceFixture.*;

import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.CursorPos;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed inputs of {@link DeviceFuzzTest}: request sequences a guest really sends (those of
 * Device2dTest, Device3dTest and DeviceHostileTest, against {@link DeviceFixture}'s objects),
 * turned into fuzzer inputs by {@link SeedSource}.
 */
final class DeviceSeeds {
    private DeviceSeeds() {
    }

    private static final CtrlHeader NONE = CtrlHeader.EMPTY;
    private static final Rect FULL = new Rect(0, 0, 64, 64);
    private static final Box3d BOX = new Box3d(0, 0, 0, 64, 64, 1);
    private static final long FREE_RAM = RAM_BASE + 0xc000;

    static CtrlHeader ctx(int id) {
        return new CtrlHeader(0, 0, 0, id, 0);
    }

    static CtrlHeader fenced(int ctx, long fence) {
        return new CtrlHeader(0, CtrlHeader.FLAG_FENCE, fence, ctx, 0);
    }

    /** Seed name to requests. */
    static Map<String, List<GpuCommand>> all() {
        Map<String, List<GpuCommand>> m = new LinkedHashMap<>();
        m.put("render-and-scanout", List.of(
                new GpuCommand.Submit3d(fenced(CTX, 1), new VirglCommands().createSurface(1, TEXTURE, RGBA)
                        .setFramebuffer(1).clearColor(1f, 0.2f, 0.6f, 1f).build()),
                new GpuCommand.SetScanout(NONE, FULL, 0, TEXTURE),
                new GpuCommand.ResourceFlush(NONE, FULL, TEXTURE),
                new GpuCommand.TransferFromHost3d(ctx(CTX), BOX, 0, TEXTURE, 0, 256, 0)));
        m.put("transfers-3d", List.of(
                new GpuCommand.TransferToHost3d(ctx(CTX), BOX, 0, TEXTURE, 0, 256, 0),
                new GpuCommand.TransferToHost3d(NONE, new Box3d(8, 8, 0, 16, 16, 1), 1024, TEXTURE, 0, 256, 0),
                new GpuCommand.TransferToHost3d(ctx(CTX), new Box3d(0, 0, 0, 0x4000, 1, 1), 0, BUFFER, 0, 0, 0),
                new GpuCommand.Submit3d(ctx(CTX), new VirglCommands().copyRegion(TEXTURE, 0, 0, TEXTURE, 32, 32, 16, 16)
                        .build()),
                new GpuCommand.TransferFromHost3d(ctx(CTX), new Box3d(0, 0, 0, 64, 32, 1), 256, TEXTURE, 0, 256, 0),
                new GpuCommand.TransferToHost2d(NONE, new Rect(0, 0, 8, 8), 0, TEXTURE)));
        m.put("console-2d", List.of(
                new GpuCommand.ResourceCreate2d(NONE, 20, 1, 64, 64),
                new GpuCommand.ResourceAttachBacking(NONE, 20, List.of(new MemEntry(FREE_RAM, 0x2000),
                        new MemEntry(FREE_RAM + 0x2000, 0x2000))),
                new GpuCommand.TransferToHost2d(NONE, FULL, 0, 20),
                new GpuCommand.SetScanout(NONE, FULL, 0, 20),
                new GpuCommand.ResourceFlush(NONE, new Rect(0, 0, 32, 32), 20),
                new GpuCommand.SetScanout(NONE, new Rect(0, 0, 0, 0), 0, 0),
                new GpuCommand.ResourceDetachBacking(NONE, 20),
                new GpuCommand.ResourceUnref(NONE, 20)));
        m.put("contexts", List.of(
                new GpuCommand.CtxCreate(ctx(2), 0, "second"),
                new GpuCommand.CtxAttachResource(ctx(2), TEXTURE),
                new GpuCommand.Submit3d(ctx(2), new VirglCommands().createSurface(2, TEXTURE, RGBA).setFramebuffer(2)
                        .clearColor(0f, 1f, 0f, 1f).build()),
                new GpuCommand.CtxDetachResource(ctx(2), TEXTURE),
                new GpuCommand.CtxDestroy(ctx(2)),
                new GpuCommand.CtxCreate(ctx(3), 2, "virgl2")));
        m.put("queries", List.of(
                new GpuCommand.GetDisplayInfo(NONE),
                new GpuCommand.GetCapsetInfo(NONE, 0),
                new GpuCommand.GetCapsetInfo(NONE, 1),
                new GpuCommand.GetCapset(NONE, 1, 1),
                new GpuCommand.GetCapset(NONE, 2, 2),
                new GpuCommand.GetEdid(NONE, 1),
                new GpuCommand.ResourceAssignUuid(NONE, IMAGE_2D)));
        m.put("cursor", List.of(
                new GpuCommand.UpdateCursor(NONE, new CursorPos(0, 10, 10), IMAGE_2D, 1, 1),
                new GpuCommand.MoveCursor(NONE, new CursorPos(0, 20, 30)),
                new GpuCommand.UpdateCursor(NONE, new CursorPos(1, 0, 0), 0, 0, 0)));
        m.put("limits", limits());
        m.put("hostile-transfers", hostileTransfers());
        m.put("blob", List.of(
                new GpuCommand.ResourceCreateBlob(NONE, 20, 1, 0, 0, 4096, List.of(new MemEntry(FREE_RAM, 4096))),
                new GpuCommand.SetScanoutBlob(NONE, new Rect(0, 0, 32, 32), 0, 20, 32, 32, 1, List.of(128, 0, 0, 0),
                        List.of(0, 0, 0, 0)),
                new GpuCommand.ResourceMapBlob(NONE, 20, 0),
                new GpuCommand.ResourceUnmapBlob(NONE, 20)));
        m.put("use-after-destroy", List.of(
                new GpuCommand.ResourceDetachBacking(NONE, BUFFER),
                new GpuCommand.TransferToHost3d(ctx(CTX), new Box3d(0, 0, 0, 16, 1, 1), 0, BUFFER, 0, 0, 0),
                new GpuCommand.ResourceUnref(NONE, TEXTURE),
                new GpuCommand.Submit3d(ctx(CTX), new VirglCommands().createSurface(3, TEXTURE, RGBA).build()),
                new GpuCommand.CtxDestroy(ctx(CTX)),
                new GpuCommand.Submit3d(ctx(CTX), new VirglCommands().clearColor(0, 0, 0, 1).build()),
                new GpuCommand.SetScanout(NONE, FULL, 0, UNBACKED)));
        return m;
    }

    /** Reaches every GpuLimits field of the fixture: contexts, resources, memory, submit size, entries. */
    private static List<GpuCommand> limits() {
        List<GpuCommand> l = new ArrayList<>();
        l.add(new GpuCommand.CtxCreate(ctx(2), 0, "b"));
        l.add(new GpuCommand.CtxCreate(ctx(3), 0, "c"));
        l.add(new GpuCommand.CtxCreate(ctx(5), 0, "over"));
        l.add(new GpuCommand.ResourceCreate3d(NONE, 20, 2, RGBA, 0x4000a, 4096, 4096, 1, 1, 0, 0, 0));
        l.add(new GpuCommand.ResourceAttachBacking(NONE, UNBACKED, List.of(new MemEntry(FREE_RAM, 16),
                new MemEntry(FREE_RAM + 16, 16), new MemEntry(FREE_RAM + 32, 16), new MemEntry(FREE_RAM + 48, 16),
                new MemEntry(FREE_RAM + 64, 16))));
        VirglCommands big = new VirglCommands();
        for (int i = 0; i < 5; i++) {
            big.raw(63 << 16);
            big.raw(new int[63]);
        }
        l.add(new GpuCommand.Submit3d(ctx(CTX), big.build()));
        for (int id = 30; id < 39; id++) {
            l.add(new GpuCommand.ResourceCreate2d(NONE, id, 1, 8, 8));
        }
        return l;
    }

    /** The checks Device3dTest.resourceErrors pins, including the stride that crashed 0.10.4. */
    private static List<GpuCommand> hostileTransfers() {
        List<GpuCommand> l = new ArrayList<>();
        l.add(new GpuCommand.TransferToHost3d(ctx(CTX), new Box3d(32, 32, 0, 64, 64, 1), 0, TEXTURE, 0, 256, 0));
        l.add(new GpuCommand.TransferToHost3d(ctx(CTX), new Box3d(0, 0, 0, 1, 1, 1), 1 << 20, TEXTURE, 0, 256, 0));
        for (int stride : new int[] {-4, Integer.MIN_VALUE, 1 << 30}) {
            l.add(new GpuCommand.TransferToHost3d(ctx(CTX), BOX, 0, TEXTURE, 0, stride, 0));
            l.add(new GpuCommand.TransferFromHost3d(ctx(CTX), BOX, 0, TEXTURE, 0, stride, 0));
        }
        l.add(new GpuCommand.TransferToHost3d(ctx(CTX), new Box3d(0, 0, 0, 64, 64, 2), 0, TEXTURE, 0, 256, -4));
        l.add(new GpuCommand.TransferFromHost3d(ctx(CTX), new Box3d(0, 0, 0, 8, 8, 1), 0, UNBACKED, 0, 32, 0));
        l.add(new GpuCommand.ResourceCreate3d(NONE, 21, 2, 9999, 2, 8, 8, 1, 1, 0, 0, 0));
        l.add(new GpuCommand.TransferToHost2d(NONE, new Rect(-1, -1, 2, 2), 0, IMAGE_2D));
        return l;
    }

    /**
     * Checks, after Jazzer ran the seed files through {@link DeviceFuzzTest} with its own
     * FuzzedDataProvider, that every seed gave back exactly its requests (so {@link SeedSource}
     * writes what Jazzer reads) and that they got the responses the device tests pin. Prints
     * the codes, so a new seed's expectations can be read off.
     */
    static void check(List<List<DeviceFuzzTest.Exchange>> seen) {
        StringBuilder problems = new StringBuilder();
        all().forEach((name, cmds) -> {
            List<ByteBuffer> wanted = encode(cmds);
            List<String> codes = null;
            for (List<DeviceFuzzTest.Exchange> run : seen) {
                if (run.size() == wanted.size() && sameRequests(run, wanted)) {
                    codes = run.stream().map(e -> ResponseCheck.name(e.response().type())).toList();
                }
            }
            System.out.println("seed " + name + ": " + codes);
            List<String> expected = EXPECTED.get(name);
            if (codes == null) {
                problems.append("\nseed ").append(name).append(" did not give back its requests");
            } else if (!codes.equals(expected)) {
                problems.append("\nseed ").append(name).append(": expected ").append(expected).append(", got ")
                        .append(codes);
            }
        });
        if (problems.length() > 0) {
            throw new AssertionError("device seeds:" + problems);
        }
    }

    private static boolean sameRequests(List<DeviceFuzzTest.Exchange> run, List<ByteBuffer> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            if (!wanted.get(i).equals(ByteBuffer.wrap(run.get(i).request()))) {
                return false;
            }
        }
        return true;
    }

    private static final String OK = "OK_NODATA";
    private static final String OOM = "ERR_OUT_OF_MEMORY";
    private static final String PARAM = "ERR_INVALID_PARAMETER";
    private static final String UNSPEC = "ERR_UNSPEC";

    /** The responses each seed gets (as Device2dTest, Device3dTest and DeviceHostileTest expect). */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "render-and-scanout", List.of(OK, OK, OK, OK),
            "transfers-3d", List.of(OK, OK, OK, OK, OK, OK),
            "console-2d", List.of(OK, OK, OK, OK, OK, OK, OK, OK),
            "contexts", List.of(OK, OK, OK, OK, OK, OK),
            "queries", List.of("OK_DISPLAY_INFO", "OK_CAPSET_INFO", "OK_CAPSET_INFO", "OK_CAPSET", "OK_CAPSET",
                    "OK_EDID", "OK_RESOURCE_UUID"),
            "cursor", List.of(OK, OK, OK),
            "limits", List.of(OK, OK, OOM, OOM, PARAM, OOM, OK, OK, OK, OK, OK, OK, OK, OK, OOM),
            "hostile-transfers", List.of(PARAM, PARAM, PARAM, PARAM, PARAM, PARAM, PARAM, PARAM, PARAM,
                    "ERR_INVALID_RESOURCE_ID", PARAM, PARAM),
            "blob", List.of(OK, OK, UNSPEC, UNSPEC), // a GUEST blob: nothing to map
            "use-after-destroy", List.of(OK, UNSPEC, OK, PARAM, OK, "ERR_INVALID_CONTEXT_ID", OK));

    /** Every seed as fuzzer input bytes. */
    static Map<String, byte[]> inputs() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        all().forEach((name, cmds) -> out.put(name, SeedSource.seed(encode(cmds))));
        return out;
    }

    static List<ByteBuffer> encode(List<GpuCommand> cmds) {
        List<ByteBuffer> out = new ArrayList<>();
        for (GpuCommand c : cmds) {
            out.add(GpuCommandEncoder.encode(c));
        }
        return out;
    }
}
