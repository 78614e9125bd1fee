package com.example.consumer;

import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** Clears a 64x64 render target through virglrenderer on llvmpipe and prints one pixel. */
public final class Main {
    public static void main(String[] args) throws Exception {
        int fmt = VirglCommands.FORMAT_R8G8B8A8_UNORM;
        try (Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
             RenderSession s = renderer.openSession("consumer")) {
            int ctx = s.createContext(0, "consumer");
            int rt = s.createResource(ResourceCreateArgs.texture2d(fmt, 64, 64));
            s.attachToContext(ctx, rt);
            s.submit(ctx, new VirglCommands().createSurface(1, rt, fmt)
                    .setFramebuffer(1).clearColor(1f, 0.2f, 0.6f, 1f).build());
            s.fence(ctx).get(30, TimeUnit.SECONDS);
            ByteBuffer px = ByteBuffer.allocateDirect(64 * 64 * 4);
            s.read(rt, ctx, 0, 64 * 4, Box.of2d(0, 0, 64, 64), px);
            // Where the JNI library came from: the presets' classifier jar, which this project
            // never named, only virgl4j.
            System.out.println("virgl4j consumer: jni=" + Main.class.getClassLoader()
                    .getResource("io/github/virgl4j/linux-x86_64/libjnivirglrenderer.so"));
            System.out.printf("virgl4j consumer: backend=%s pixel(32,32)=%08x%n",
                    renderer.info().backend().id(), px.getInt((32 * 64 + 32) * 4));
        }
    }
}
