package io.github.virgl4j.stream;

import io.github.virgl4j.device.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * How far a replayed frame is from a reference image, over the R, G, B channels (reference
 * images are RGB PNGs): PSNR in dB (infinite when identical) and the largest channel difference.
 */
public record FrameComparison(double psnr, int maxChannelDelta) {

    /** Compares frame with a reference PNG; null when the PNG cannot be read or sizes differ. */
    static FrameComparison of(Frame frame, byte[] png) {
        BufferedImage ref;
        try {
            ref = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (ref == null || ref.getWidth() != frame.width() || ref.getHeight() != frame.height()) {
            return null;
        }
        int[] expected = ref.getRGB(0, 0, ref.getWidth(), ref.getHeight(), null, 0, ref.getWidth());
        int[] actual = frame.argb();
        double sum = 0;
        int max = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs((actual[i] >>> shift & 0xff) - (expected[i] >>> shift & 0xff));
                sum += d * d;
                max = Math.max(max, d);
            }
        }
        double mse = sum / (actual.length * 3.0);
        double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        return new FrameComparison(psnr, max);
    }
}
