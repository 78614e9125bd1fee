package io.github.virgl4j.virgl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which in-stream commands read guest backing, and with whose layout (virgl_protocol.h). */
class VirglUploadsTest {
    @Test
    void aCopyTransferReadsItsSourceWithTheDestinationsLayout() {
        var stream = new VirglCommands().copyTransfer3d(7, 0, 0, 512, 512, 2048, 9, 4096, 0).build();
        assertEquals(List.of(new VirglUploads.Upload(9, 7, 0, 2048, 0, 512, 512, 1, 4096)), VirglUploads.of(stream));
    }

    @Test
    void aCopyTransferFromTheHostWritesTheBufferAndReadsNothing() {
        var stream = new VirglCommands().copyTransfer3d(7, 0, 0, 64, 64, 256, 9, 0, VirglUploads.COPY_READ_FROM_HOST)
                .transfer3d(5, 0, 0, 16, 16, 0, 2) // TRANSFER3D from the host: no read either
                .transfer3d(5, 0, 0, 16, 16, 128, VirglUploads.TO_HOST).build();
        assertEquals(List.of(new VirglUploads.Upload(5, 5, 0, 0, 0, 16, 16, 1, 128)), VirglUploads.of(stream));
    }
}
