package io.github.virgl4j.device.protocol;

/**
 * The 2D formats of {@code enum virtio_gpu_formats} (virtio spec 1.2 §5.7.6.8,
 * RESOURCE_CREATE_2D). All are 4 bytes per pixel. Names list the components in memory byte
 * order (gallium convention): {@code B8G8R8A8} stores B at the lowest address.
 */
public enum VirtioGpuFormat {
    B8G8R8A8_UNORM(1, 0, 1, 2, 3),
    B8G8R8X8_UNORM(2, 0, 1, 2, -1),
    A8R8G8B8_UNORM(3, 3, 2, 1, 0),
    X8R8G8B8_UNORM(4, 3, 2, 1, -1),
    R8G8B8A8_UNORM(67, 2, 1, 0, 3),
    X8B8G8R8_UNORM(68, 1, 2, 3, -1),
    A8B8G8R8_UNORM(121, 1, 2, 3, 0),
    R8G8B8X8_UNORM(134, 2, 1, 0, -1);

    /** Bytes per pixel of every format here. */
    public static final int BYTES_PER_PIXEL = 4;

    private final int code;
    // Byte position (0 = lowest address) of each component; alpha -1 means "X", opaque.
    private final int blue;
    private final int green;
    private final int red;
    private final int alpha;

    VirtioGpuFormat(int code, int blue, int green, int red, int alpha) {
        this.code = code;
        this.blue = blue;
        this.green = green;
        this.red = red;
        this.alpha = alpha;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** Always {@value #BYTES_PER_PIXEL}. */
    public int bytesPerPixel() {
        return BYTES_PER_PIXEL;
    }

    /** True when the format has a real alpha channel (not X). */
    public boolean hasAlpha() {
        return alpha >= 0;
    }

    /**
     * Converts one pixel to {@code 0xAARRGGBB}.
     *
     * @param littleEndianPixel the pixel's 4 bytes read as a little-endian int (byte 0 in bits
     *                          0-7), e.g. {@code ByteBuffer.order(LITTLE_ENDIAN).getInt()}
     * @return the ARGB value; formats without alpha give alpha 0xff
     */
    public int toArgb(int littleEndianPixel) {
        int a = alpha < 0 ? 0xff : byteAt(littleEndianPixel, alpha);
        return a << 24 | byteAt(littleEndianPixel, red) << 16
                | byteAt(littleEndianPixel, green) << 8 | byteAt(littleEndianPixel, blue);
    }

    private static int byteAt(int v, int index) {
        return (v >>> (8 * index)) & 0xff;
    }

    /** The format with this wire code, or null when the code is not a 2D format. */
    public static VirtioGpuFormat fromCode(int code) {
        for (VirtioGpuFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }
}
