package io.github.virgl4j.fuzz;

import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * After the JVM died under {@link DeviceFuzzTest} (a native crash leaves no Jazzer crash file),
 * prints the requests of the unfinished input from its {@link CrashWitness}, writes them as a
 * seed file ({@code <witness>.seed}, for DeviceFuzzTestInputs/controlQueue/) and replays them on
 * a fresh {@link DeviceFixture}: if this JVM dies too, the crash reproduces.
 *
 * <pre>java -cp ... io.github.virgl4j.fuzz.ReplayWitness target/fuzz/device/device.witness [--print]</pre>
 */
public final class ReplayWitness {
    private ReplayWitness() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        List<byte[]> requests = CrashWitness.unfinished(file);
        if (requests.isEmpty()) {
            System.out.println(file + ": the last input finished; nothing to replay");
            return;
        }
        System.out.println(file + ": unfinished input of " + requests.size() + " requests");
        for (int i = 0; i < requests.size(); i++) {
            byte[] r = requests.get(i);
            int type = r.length >= 4 ? ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).getInt() : -1;
            System.out.printf("  %2d %-22s %4d bytes %s%n", i, GpuCommandType.name(type), r.length,
                    HexFormat.of().formatHex(r));
        }
        try {
            Path seed = Path.of(file + ".seed");
            Files.write(seed, SeedSource.seed(requests.stream().map(ByteBuffer::wrap).toList()));
            System.out.println("seed for DeviceFuzzTestInputs/controlQueue/: " + seed);
        } catch (IllegalArgumentException e) {
            System.out.println("no seed: " + e.getMessage());
        }
        if (args.length > 1 && args[1].equals("--print")) {
            return;
        }
        try (DeviceFixture f = new DeviceFixture(Renderer.open(RendererOptions.llvmpipe()))) {
            f.reset();
            for (int i = 0; i < requests.size(); i++) {
                System.out.println("  sending " + i + " ...");
                System.out.flush();
                GpuResponse r = GpuResponse.decode(f.gpu.handle(ByteBuffer.wrap(requests.get(i))));
                System.out.println("  " + i + " -> " + ResponseCheck.name(r.type()));
            }
        }
        System.out.println("replayed without a crash");
        System.exit(0);
    }
}
