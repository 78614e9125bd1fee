package io.github.virgl4j.device;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/**
 * One picture of a scanout: what a display would show after a RESOURCE_FLUSH or SET_SCANOUT.
 * Pixels are 0xAARRGGBB ints, row-major, top row first.
 */
public record Frame(int scanoutId, long sequence, int width, int height, int[] argb) {

    public Frame {
        if (width <= 0 || height <= 0 || argb.length != width * height) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " with " + argb.length + " pixels");
        }
    }

    /** Builds a frame from tightly packed bytes in R, G, B, A order (virgl R8G8B8A8_UNORM). */
    public static Frame fromRgba(int scanoutId, long sequence, int width, int height, ByteBuffer rgba) {
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            int r = rgba.get(i * 4) & 0xff;
            int g = rgba.get(i * 4 + 1) & 0xff;
            int b = rgba.get(i * 4 + 2) & 0xff;
            int a = rgba.get(i * 4 + 3) & 0xff;
            px[i] = a << 24 | r << 16 | g << 8 | b;
        }
        return new Frame(scanoutId, sequence, width, height, px);
    }

    public int pixel(int x, int y) {
        return argb[y * width + x];
    }

    /** SHA-256 of the pixels as big-endian ARGB ints: the hash that replays compare. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(argb.length * 4);
            buf.asIntBuffer().put(argb);
            return HexFormat.of().formatHex(md.digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The frame as RGB PNG bytes (alpha dropped, as a display would). */
    public byte[] toPng() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, argb, 0, width);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a memory stream does not fail
        }
        return out.toByteArray();
    }

    /** Writes the frame as an RGB PNG (alpha dropped, as a display would). */
    public void writePng(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, toPng());
    }
}
