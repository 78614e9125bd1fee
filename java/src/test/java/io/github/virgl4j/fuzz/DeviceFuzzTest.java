package io.github.virgl4j.fuzz;

import static io.github.virgl4j.device.protocol.GpuResponseType.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.device.GpuLimits;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (a): the control-queue parser and the device's dispatch against the real
 * virglrenderer on llvmpipe. Each input is up to {@value #MAX_REQUESTS} requests from
 * {@link RequestGen} sent to a {@link DeviceFixture} reset to its live objects; every response
 * must pass {@link ResponseCheck}, the JVM must survive every native call, and afterwards the
 * device must still answer GET_DISPLAY_INFO.
 */
class DeviceFuzzTest {
    static final int MAX_REQUESTS = 16;
    static final FuzzStats STATS = new FuzzStats("device");
    private static DeviceFixture fixture;
    private static CrashWitness witness;
    private static LogTrap log;
    /** Seed runs (regression mode), checked against {@link DeviceSeeds} at the end. */
    private static final List<List<Exchange>> SEEN = new ArrayList<>();

    @BeforeAll
    static void open() {
        fixture = new DeviceFixture(Renderer.open(RendererOptions.llvmpipe()));
        witness = CrashWitness.open("device");
        log = LogTrap.install(STATS);
    }

    @AfterAll
    static void close() {
        fixture.close();
        witness.close();
        STATS.write();
        if (!FuzzStats.fuzzing()) {
            DeviceSeeds.check(SEEN);
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void controlQueue(FuzzedDataProvider data) {
        STATS.count("inputs");
        List<Exchange> exchanges = run(fixture, new FdpSource(data), witness);
        log.rethrowBugs();
        for (Exchange e : exchanges) {
            record(e.request(), e.response());
        }
        if (!FuzzStats.fuzzing()) {
            SEEN.add(exchanges);
        }
    }

    /** A request and the device's (checked) response. */
    record Exchange(byte[] request, GpuResponse response) {
    }

    /**
     * Resets the fixture, sends the input's requests, checks each response, and checks that the
     * device still serves afterwards. The witness holds the requests while they run.
     */
    static List<Exchange> run(DeviceFixture f, Source src, CrashWitness w) {
        f.reset();
        w.begin();
        List<Exchange> out = new ArrayList<>();
        for (int i = 0; i < MAX_REQUESTS && src.more(); i++) {
            byte[] request = RequestGen.next(src);
            if (request == null) {
                break;
            }
            w.request(request);
            out.add(new Exchange(request, ResponseCheck.check(request, f.gpu.handle(ByteBuffer.wrap(request)))));
        }
        w.end();
        ByteBuffer info = GpuCommandEncoder.encode(new GpuCommand.GetDisplayInfo(CtrlHeader.EMPTY));
        if (GpuResponse.decode(f.gpu.handle(info)).type() != OK_DISPLAY_INFO) {
            throw new AssertionError("the device stopped serving after this input");
        }
        return out;
    }

    /** Counts the outcome per command and which limit an error came from. */
    static void record(byte[] request, GpuResponse r) {
        STATS.count("requests");
        DecodeResult d = GpuCommandDecoder.decode(ByteBuffer.wrap(request));
        String cmd = d instanceof DecodeResult.Decoded ok ? GpuCommandType.name(ok.command().commandType()) : "undecodable";
        STATS.count("response." + ResponseCheck.name(r.type()));
        if (r.isOk()) {
            STATS.count("ok." + cmd);
        }
        String limit = d instanceof DecodeResult.Decoded ok ? limitHit(ok.command(), r) : null;
        if (limit != null) {
            STATS.count("limit." + limit);
        }
    }

    /** The GpuLimits field an error response enforced, or null. */
    static String limitHit(GpuCommand c, GpuResponse r) {
        GpuLimits l = DeviceFixture.LIMITS;
        if (r.type() == ERR_OUT_OF_MEMORY) {
            if (c instanceof GpuCommand.CtxCreate) {
                return "maxContexts";
            } else if (c instanceof GpuCommand.ResourceCreate2d || c instanceof GpuCommand.ResourceCreate3d) {
                return fixture.gpu.metrics().resources() >= l.maxResources() ? "maxResources" : "maxHostMemory";
            } else if (c instanceof GpuCommand.Submit3d s) {
                return s.size() > l.maxSubmitBytes() ? "maxSubmitBytes" : "rendererENOMEM";
            }
            return "other";
        }
        if (r.type() == ERR_INVALID_PARAMETER && c instanceof GpuCommand.ResourceAttachBacking a
                && a.entries().size() > l.maxBackingEntries()) {
            return "maxBackingEntries";
        }
        return null;
    }
}
