package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.*;

import io.github.virgl4j.testing.HarnessEnvironment;
import io.github.virgl4j.testing.MesaClient;
import io.github.virgl4j.testing.ReferenceVtestServer;
import io.github.virgl4j.testing.Xvfb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs real Mesa clients through {@link VtestTraceRelay} to virgl_test_server and writes what
 * they exchanged to target/vtest-it/.../trace-*.txt. Also proves the decoder accepts every frame
 * Mesa 22.3 sends.
 */
class VtestTraceTest {
    private static Path work;
    private static Xvfb xvfb;
    private static ReferenceVtestServer server;

    @BeforeAll
    static void start() throws Exception {
        HarnessEnvironment.assumeRealClientsCanRun();
        work = HarnessEnvironment.workDir("trace");
        xvfb = Xvfb.start(work);
        server = ReferenceVtestServer.start(work.resolve("upstream.sock"), work);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private List<VtestTraceRelay.Trace> trace(String name, String... command) throws Exception {
        Path relaySocket = work.resolve(name + ".sock");
        try (VtestTraceRelay relay = new VtestTraceRelay(relaySocket, server.socket())) {
            MesaClient.Result r = MesaClient.of(relaySocket, work).display(xvfb.display())
                    .timeout(Duration.ofSeconds(90)).run(command);
            Thread.sleep(300);
            List<VtestTraceRelay.Trace> traces = relay.traces();
            String report = "command: " + String.join(" ", command) + "\nexit: " + r.exitCode()
                    + "\n" + summarize(traces) + "\n--- client output ---\n" + r.output();
            Files.writeString(work.resolve("trace-" + name + ".txt"), report);
            System.out.println(report);
            return traces;
        }
    }

    static String summarize(List<VtestTraceRelay.Trace> traces) {
        StringBuilder sb = new StringBuilder("connections: " + traces.size() + "\n");
        for (VtestTraceRelay.Trace t : traces) {
            List<VtestTraceRelay.Event> events;
            synchronized (t.events) {
                events = List.copyOf(t.events);
            }
            sb.append("negotiated version: ").append(t.negotiatedVersion)
                    .append(", failure: ").append(t.failure).append('\n');
            sb.append("first 24 events:\n");
            events.stream().limit(24).forEach(e -> sb.append(e.fromClient() ? "  C> " : "  <S ")
                    .append(e.command()).append(' ').append(e.bytes()).append("B")
                    .append(e.fds() > 0 ? " +" + e.fds() + "fd" : "").append(' ').append(e.detail()).append('\n'));
            sb.append("steady state (events from the middle):\n");
            events.stream().skip(events.size() / 2).limit(16).forEach(e -> sb.append(e.fromClient() ? "  C> " : "  <S ")
                    .append(e.command()).append(' ').append(e.bytes()).append("B")
                    .append(e.fds() > 0 ? " +" + e.fds() + "fd" : "").append(' ').append(e.detail()).append('\n'));
            Map<String, long[]> stats = new TreeMap<>();
            for (VtestTraceRelay.Event e : events) {
                long[] s = stats.computeIfAbsent((e.fromClient() ? "C> " : "<S ") + e.command(),
                        k -> new long[] {0, 0, Long.MAX_VALUE, 0, 0});
                s[0]++;
                s[1] += e.bytes();
                s[2] = Math.min(s[2], e.bytes());
                s[3] = Math.max(s[3], e.bytes());
                s[4] += e.fds();
            }
            sb.append("totals (count, bytes, min, max, fds):\n");
            stats.forEach((k, s) -> sb.append(String.format("  %-28s %6d %10d %8d %8d %5d%n", k, s[0], s[1], s[2], s[3], s[4])));
        }
        return sb.toString();
    }

    private static long count(VtestTraceRelay.Trace t, boolean fromClient, VtestCommandId c) {
        synchronized (t.events) {
            return t.events.stream().filter(e -> e.fromClient() == fromClient && e.command() == c).count();
        }
    }

    private static void assertMesaHandshake(VtestTraceRelay.Trace t) {
        assertNull(t.failure, () -> "relay/decoder failure: " + t.failure);
        List<VtestCommandId> first;
        synchronized (t.events) {
            first = t.events.stream().filter(VtestTraceRelay.Event::fromClient).limit(6)
                    .map(VtestTraceRelay.Event::command).collect(Collectors.toList());
        }
        assertEquals(List.of(VtestCommandId.CREATE_RENDERER, VtestCommandId.PING_PROTOCOL_VERSION,
                VtestCommandId.RESOURCE_BUSY_WAIT, VtestCommandId.PROTOCOL_VERSION,
                VtestCommandId.GET_CAPS2, VtestCommandId.GET_CAPS), first);
    }

    @Test
    void glxinfo() throws Exception {
        HarnessEnvironment.assumeProgram("glxinfo", "mesa-utils");
        List<VtestTraceRelay.Trace> traces = trace("glxinfo", "glxinfo", "-B");
        assertEquals(1, traces.size());
        assertMesaHandshake(traces.get(0));
    }

    @Test
    void glmark2() throws Exception {
        HarnessEnvironment.assumeProgram("glmark2", "glmark2-x11");
        List<VtestTraceRelay.Trace> traces = trace("glmark2", "glmark2", "--off-screen", "-s", "320x240",
                "-b", "build:duration=0.5");
        assertEquals(1, traces.size());
        VtestTraceRelay.Trace t = traces.get(0);
        assertMesaHandshake(t);
        assertTrue(t.negotiatedVersion >= VtestProtocol.VERSION_2, "shm resources in use");
        assertTrue(count(t, true, VtestCommandId.SUBMIT_CMD) > 0);
        assertEquals(count(t, true, VtestCommandId.RESOURCE_CREATE2), count(t, false, VtestCommandId.RESOURCE_CREATE2));
    }

    @Test
    void glmark2Windowed() throws Exception {
        HarnessEnvironment.assumeProgram("glmark2", "glmark2-x11");
        // On screen: frames are presented, so the client reads back its back buffer.
        List<VtestTraceRelay.Trace> traces = trace("glmark2-windowed", "glmark2", "-s", "320x240",
                "-b", "texture:duration=1", "-b", "build:duration=0.5");
        assertEquals(1, traces.size());
        VtestTraceRelay.Trace t = traces.get(0);
        assertMesaHandshake(t);
        assertTrue(count(t, true, VtestCommandId.TRANSFER_GET2) > 0, summarize(traces));
    }
}
