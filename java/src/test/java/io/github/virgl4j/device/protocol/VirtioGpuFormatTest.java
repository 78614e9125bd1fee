package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VirtioGpuFormatTest {

    /** Reads 4 bytes in memory order as the little-endian int toArgb expects. */
    private static int pixel(int b0, int b1, int b2, int b3) {
        return ByteBuffer.wrap(new byte[] {(byte) b0, (byte) b1, (byte) b2, (byte) b3})
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void codesMatchTheSpec() {
        assertEquals(1, VirtioGpuFormat.B8G8R8A8_UNORM.code());
        assertEquals(2, VirtioGpuFormat.B8G8R8X8_UNORM.code());
        assertEquals(3, VirtioGpuFormat.A8R8G8B8_UNORM.code());
        assertEquals(4, VirtioGpuFormat.X8R8G8B8_UNORM.code());
        assertEquals(67, VirtioGpuFormat.R8G8B8A8_UNORM.code());
        assertEquals(68, VirtioGpuFormat.X8B8G8R8_UNORM.code());
        assertEquals(121, VirtioGpuFormat.A8B8G8R8_UNORM.code());
        assertEquals(134, VirtioGpuFormat.R8G8B8X8_UNORM.code());
        assertEquals(VirtioGpuFormat.R8G8B8X8_UNORM, VirtioGpuFormat.fromCode(134));
        assertNull(VirtioGpuFormat.fromCode(5));
        for (VirtioGpuFormat f : VirtioGpuFormat.values()) {
            assertEquals(4, f.bytesPerPixel());
        }
    }

    @Test
    void toArgbReadsComponentsInMemoryOrder() {
        // Components: R=0x11 G=0x22 B=0x33 A=0x44, laid out per format name.
        assertEquals(0x44112233, VirtioGpuFormat.B8G8R8A8_UNORM.toArgb(pixel(0x33, 0x22, 0x11, 0x44)));
        assertEquals(0xff112233, VirtioGpuFormat.B8G8R8X8_UNORM.toArgb(pixel(0x33, 0x22, 0x11, 0x99)));
        assertEquals(0x44112233, VirtioGpuFormat.A8R8G8B8_UNORM.toArgb(pixel(0x44, 0x11, 0x22, 0x33)));
        assertEquals(0xff112233, VirtioGpuFormat.X8R8G8B8_UNORM.toArgb(pixel(0x99, 0x11, 0x22, 0x33)));
        assertEquals(0x44112233, VirtioGpuFormat.R8G8B8A8_UNORM.toArgb(pixel(0x11, 0x22, 0x33, 0x44)));
        assertEquals(0xff112233, VirtioGpuFormat.X8B8G8R8_UNORM.toArgb(pixel(0x99, 0x33, 0x22, 0x11)));
        assertEquals(0x44112233, VirtioGpuFormat.A8B8G8R8_UNORM.toArgb(pixel(0x44, 0x33, 0x22, 0x11)));
        assertEquals(0xff112233, VirtioGpuFormat.R8G8B8X8_UNORM.toArgb(pixel(0x11, 0x22, 0x33, 0x99)));
        assertTrue(VirtioGpuFormat.A8B8G8R8_UNORM.hasAlpha());
        assertFalse(VirtioGpuFormat.X8B8G8R8_UNORM.hasAlpha());
    }

    @Test
    void featureBits() {
        assertEquals(1L, GpuFeatures.mask(GpuFeatures.VIRGL));
        assertEquals(1L << 4, GpuFeatures.mask(GpuFeatures.CONTEXT_INIT));
        assertEquals(1L << 32, GpuFeatures.mask(GpuFeatures.VIRTIO_F_VERSION_1));
        assertEquals(1L << 28, GpuFeatures.mask(GpuFeatures.VIRTIO_RING_F_INDIRECT_DESC));
        assertEquals(1L << 29, GpuFeatures.mask(GpuFeatures.VIRTIO_RING_F_EVENT_IDX));
        assertTrue(GpuFeatures.has(0b1011, GpuFeatures.RESOURCE_BLOB));
        assertFalse(GpuFeatures.has(0b1011, GpuFeatures.RESOURCE_UUID));
    }
}
