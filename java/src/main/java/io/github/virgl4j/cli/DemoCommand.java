package io.github.virgl4j.cli;

import io.github.virgl4j.device.Frame;
import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code virgl4j demo}: renders a short animation with real virgl commands and writes PNGs. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Render a few frames through virglrenderer (llvmpipe without a GPU) and write PNGs.")
final class DemoCommand implements Callable<Integer> {
    private static final int FMT = VirglCommands.FORMAT_R8G8B8A8_UNORM;

    @Mixin
    RendererMixin renderer;

    @Option(names = "--out", defaultValue = "demo-out", description = "Directory for the PNG frames. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--frames", defaultValue = "8", description = "Number of frames. Default: ${DEFAULT-VALUE}")
    int frames;

    @Option(names = "--size", defaultValue = "256", description = "Width and height in pixels. Default: ${DEFAULT-VALUE}")
    int size;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || frames > 10_000 || size < 16 || size > 4096) {
            throw new IllegalArgumentException("--frames must be 1..10000 and --size 16..4096");
        }
        long t0 = System.nanoTime();
        try (Renderer r = Renderer.open(renderer.options()); RenderSession s = r.openSession("demo")) {
            int ctx = s.createContext(0, "virgl4j-demo");
            int target = s.createResource(ResourceCreateArgs.texture2d(FMT, size, size));
            int tile = s.createResource(ResourceCreateArgs.texture2d(FMT, size / 8, size / 8));
            s.attachToContext(ctx, target);
            s.attachToContext(ctx, tile);
            s.submit(ctx, new VirglCommands().createSurface(1, target, FMT).createSurface(2, tile, FMT).build());
            ByteBuffer pixels = ByteBuffer.allocateDirect(size * size * 4);
            String last = "";
            for (int f = 0; f < frames; f++) {
                s.submit(ctx, frameCommands(f, target, tile));
                s.fence(ctx).get(30, TimeUnit.SECONDS);
                s.read(target, ctx, 0, size * 4, Box.of2d(0, 0, size, size), pixels.clear());
                Frame frame = Frame.fromRgba(0, f, size, size, pixels);
                frame.writePng(out.resolve(String.format("frame-%03d.png", f)));
                last = frame.sha256();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("virgl4j demo: %d frames %dx%d rendered on %s (%s) in %.2f s -> %s (last frame sha256 %s)%n",
                    frames, size, size, r.info().backend().id(), r.info().glRenderer(), seconds,
                    out.toAbsolutePath(), last.substring(0, 16));
            return 0;
        }
    }

    /** A background that shifts hue with the frame and a tile bouncing along the diagonal. */
    private ByteBuffer frameCommands(int f, int target, int tile) {
        float phase = (float) f / Math.max(1, frames - 1);
        int t = size / 8;
        int pos = (int) (phase * (size - t));
        VirglCommands c = new VirglCommands()
                .setFramebuffer(2).clearColor(1f, 1f - phase, 0.2f, 1f)
                .setFramebuffer(1).clearColor(0.1f, 0.2f + 0.6f * phase, 0.8f - 0.6f * phase, 1f);
        for (int k = 0; k < 4; k++) {
            c.copyRegion(target, pos, (pos + k * 2 * t) % (size - t), tile, 0, 0, t, t);
        }
        return c.build();
    }
}
