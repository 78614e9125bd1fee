package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** virglrenderer 0.10.4's blob API on llvmpipe through a render session: create, map, unmap. */
class RendererBlobTest {
    private static final Logger LOG = Logger.getLogger(RendererBlobTest.class.getName());
    static Renderer renderer;

    @BeforeAll
    static void start() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void stop() {
        renderer.close();
    }

    @Test
    void aPersistentBufferObjectBecomesAMappableBlob() {
        try (RenderSession s = renderer.openSession("blob-test")) {
            int ctx = s.createContext(0, "blob-test");
            int size = 1 << 16;
            // buffer, R8, vertex buffer bind, MAP_PERSISTENT | MAP_COHERENT, blob_id 7
            s.submit(ctx, new VirglCommands().pipeResourceCreate(0, 64, 1 << 4, size, 1, 1, 1, 0, 0, 6, 7).build());
            int handle = s.createBlob(new BlobCreateArgs(ctx, 2, 1, 7, size), List.of());
            MappedBlob m = s.mapBlob(handle);
            assertEquals(size, m.size());
            assertTrue(m.address() != 0);
            // the figure the README quotes: llvmpipe's buffer storage is heap memory, not page-aligned
            LOG.info(() -> "llvmpipe blob mapping at 0x" + Long.toHexString(m.address()) + ", address % 4096 = "
                    + m.address() % 4096 + ", map_info " + m.mapInfo());
            ByteBuffer view = HostMemory.view(m.address(), size);
            view.putInt(0, 0x12345678);
            assertEquals(0x12345678, view.getInt(0));
            s.unmapBlob(handle);
            // the object is taken: a second blob of the same blob_id is refused
            RendererException again = assertThrows(RendererException.class,
                    () -> s.createBlob(new BlobCreateArgs(ctx, 2, 1, 7, size), List.of()));
            assertEquals(RendererException.EINVAL, again.errno());
            s.unrefResource(handle);
            assertEquals(1, s.liveObjects()); // the context
        }
    }

    @Test
    void mappingsOfEverySizeAreUsable() {
        try (RenderSession s = renderer.openSession("blob-sizes")) {
            int ctx = s.createContext(0, "blob-sizes");
            int blobId = 100;
            for (int size : new int[] {100, 4096, 5000, 1 << 20}) {
                blobId++;
                s.submit(ctx, new VirglCommands().pipeResourceCreate(0, 64, 1 << 4, size, 1, 1, 1, 0, 0, 6, blobId)
                        .build());
                int handle = s.createBlob(new BlobCreateArgs(ctx, 2, 1, blobId, size), List.of());
                MappedBlob m = s.mapBlob(handle);
                assertEquals(size, m.size());
                LOG.info(() -> "llvmpipe blob of " + size + " bytes: address % 4096 = " + m.address() % 4096);
                HostMemory.view(m.address(), size).put(size - 1, (byte) 1);
                s.unmapBlob(handle);
                s.unrefResource(handle);
            }
        }
    }

    @Test
    void anotherSessionsContextCannotMakeBlobs() {
        try (RenderSession a = renderer.openSession("a"); RenderSession b = renderer.openSession("b")) {
            int ctx = a.createContext(0, "a");
            RendererException e = assertThrows(RendererException.class,
                    () -> b.createBlob(new BlobCreateArgs(ctx, 2, 1, 1, 4096), List.of()));
            assertEquals(RendererException.EINVAL, e.errno());
            assertEquals(0, b.liveObjects());
        }
    }
}
