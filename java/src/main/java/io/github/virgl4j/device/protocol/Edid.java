package io.github.virgl4j.device.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Generates a 128-byte EDID 1.3 base block (VESA E-EDID) advertising one preferred mode, for
 * GET_EDID. The timing follows CVT reduced blanking v1 (fixed 160-pixel horizontal blank,
 * vertical blank of at least 460 µs); the physical size assumes 96 dpi.
 */
public final class Edid {
    private Edid() {
    }

    /** Size of the base block. */
    public static final int BLOCK_SIZE = 128;

    private static final int H_BLANK = 160;
    private static final int H_FRONT_PORCH = 48;
    private static final int H_SYNC = 32;
    private static final int V_FRONT_PORCH = 3;
    private static final int V_SYNC = 5;
    private static final int V_BACK_PORCH_MIN = 6;
    private static final double V_BLANK_MIN_SECONDS = 460e-6;

    /** Same as {@code generate(width, height, 60, "virgl4j")}. */
    public static byte[] generate(int width, int height) {
        return generate(width, height, 60, "virgl4j");
    }

    /**
     * @param width       horizontal pixels, 1..4095 (12 bits in the timing descriptor)
     * @param height      vertical lines, 1..4095
     * @param refreshHz   vertical refresh, 1..255
     * @param monitorName ASCII name, at most 13 characters
     * @return the 128 bytes, checksum included
     * @throws IllegalArgumentException if a value does not fit the EDID fields
     */
    public static byte[] generate(int width, int height, int refreshHz, String monitorName) {
        if (width < 1 || width > 4095 || height < 1 || height > 4095) {
            throw new IllegalArgumentException("resolution must be 1..4095: " + width + "x" + height);
        }
        if (refreshHz < 1 || refreshHz > 255) {
            throw new IllegalArgumentException("refresh must be 1..255 Hz: " + refreshHz);
        }
        byte[] name = monitorName.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 13) {
            throw new IllegalArgumentException("monitor name over 13 characters");
        }
        // CVT-RB vertical blank: estimate the line period from the frame time left after the
        // minimum blank, then take enough whole lines to cover that blank.
        double lineSeconds = (1.0 / refreshHz - V_BLANK_MIN_SECONDS) / height;
        int vBlank = Math.max((int) Math.floor(V_BLANK_MIN_SECONDS / lineSeconds) + 1,
                V_FRONT_PORCH + V_SYNC + V_BACK_PORCH_MIN);
        int hTotal = width + H_BLANK;
        int vTotal = height + vBlank;
        long clock10kHz = Math.round((double) hTotal * vTotal * refreshHz / 10_000.0);
        if (clock10kHz < 1 || clock10kHz > 0xffff) {
            throw new IllegalArgumentException("pixel clock out of EDID range for " + width + "x"
                    + height + "@" + refreshHz);
        }
        if (vBlank > 4095) {
            throw new IllegalArgumentException("vertical blank does not fit: " + vBlank);
        }
        int widthMm = Math.max(1, Math.round(width * 25.4f / 96));
        int heightMm = Math.max(1, Math.round(height * 25.4f / 96));

        byte[] e = new byte[BLOCK_SIZE];
        // 0-7: fixed header.
        put(e, 0, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
        // 8-9: manufacturer "VGL", three 5-bit letters ('A' = 1), big-endian.
        int mfg = ('V' - '@') << 10 | ('G' - '@') << 5 | ('L' - '@');
        put(e, 8, mfg >> 8, mfg & 0xff);
        put(e, 10, 0x01, 0x00);                  // product code (LE)
        put(e, 12, 0x01, 0x00, 0x00, 0x00);      // serial number (LE)
        put(e, 16, 1, 2024 - 1990);              // week, year - 1990
        put(e, 18, 1, 3);                        // EDID version 1.3
        e[20] = (byte) 0x80;                     // digital input
        e[21] = (byte) Math.min(255, Math.max(1, (widthMm + 5) / 10));  // cm
        e[22] = (byte) Math.min(255, Math.max(1, (heightMm + 5) / 10));
        e[23] = (byte) 120;                      // gamma 2.2: (2.2 * 100) - 100
        e[24] = (byte) 0x0a;                     // RGB colour display, preferred timing in DTD 1
        chromaticity(e);
        put(e, 35, 0x21, 0x08, 0x00);            // established: 640x480@60, 800x600@60, 1024x768@60
        for (int i = 38; i < 54; i += 2) {       // 8 unused standard timings
            put(e, i, 0x01, 0x01);
        }
        detailedTiming(e, 54, (int) clock10kHz, width, height, vBlank, widthMm, heightMm);
        double hFreqKhz = clock10kHz * 10.0 / hTotal;
        rangeLimits(e, 72, refreshHz, hFreqKhz, clock10kHz);
        textDescriptor(e, 90, 0xfc, name);       // monitor name
        put(e, 108, 0, 0, 0, 0x10, 0);           // dummy descriptor, rest zero
        e[126] = 0;                              // no extension blocks
        int sum = 0;
        for (int i = 0; i < 127; i++) {
            sum += e[i] & 0xff;
        }
        e[127] = (byte) ((256 - (sum & 0xff)) & 0xff);
        return e;
    }

    /** sRGB primaries and D65 white point as 10-bit binary fractions (bytes 25-34). */
    private static void chromaticity(byte[] e) {
        int[] v = {
            frac(0.640), frac(0.330), frac(0.300), frac(0.600),   // red x,y  green x,y
            frac(0.150), frac(0.060), frac(0.3127), frac(0.3290), // blue x,y white x,y
        };
        e[25] = (byte) ((v[0] & 3) << 6 | (v[1] & 3) << 4 | (v[2] & 3) << 2 | (v[3] & 3));
        e[26] = (byte) ((v[4] & 3) << 6 | (v[5] & 3) << 4 | (v[6] & 3) << 2 | (v[7] & 3));
        for (int i = 0; i < 8; i++) {
            e[27 + i] = (byte) (v[i] >> 2);
        }
    }

    private static int frac(double value) {
        return (int) Math.round(value * 1024);
    }

    /** 18-byte detailed timing descriptor. */
    private static void detailedTiming(byte[] e, int at, int clock10kHz, int w, int h, int vBlank,
                                       int widthMm, int heightMm) {
        put(e, at, clock10kHz & 0xff, clock10kHz >> 8);
        e[at + 2] = (byte) w;
        e[at + 3] = (byte) H_BLANK;
        e[at + 4] = (byte) ((w >> 8) << 4 | (H_BLANK >> 8));
        e[at + 5] = (byte) h;
        e[at + 6] = (byte) vBlank;
        e[at + 7] = (byte) ((h >> 8) << 4 | (vBlank >> 8));
        e[at + 8] = (byte) H_FRONT_PORCH;
        e[at + 9] = (byte) H_SYNC;
        e[at + 10] = (byte) ((V_FRONT_PORCH & 0xf) << 4 | (V_SYNC & 0xf));
        e[at + 11] = (byte) ((H_FRONT_PORCH >> 8) << 6 | (H_SYNC >> 8) << 4
                | (V_FRONT_PORCH >> 4) << 2 | (V_SYNC >> 4));
        e[at + 12] = (byte) widthMm;
        e[at + 13] = (byte) heightMm;
        e[at + 14] = (byte) (((widthMm >> 8) & 0xf) << 4 | ((heightMm >> 8) & 0xf));
        e[at + 15] = 0;                          // borders
        e[at + 16] = 0;
        e[at + 17] = (byte) 0x1a;                // digital separate sync, hsync +, vsync -
    }

    /** Display range limits descriptor (tag 0xfd), required by EDID 1.3. */
    private static void rangeLimits(byte[] e, int at, int refreshHz, double hFreqKhz, long clock10kHz) {
        put(e, at, 0, 0, 0, 0xfd, 0);
        e[at + 5] = (byte) Math.max(1, Math.min(refreshHz, 50));          // min V Hz
        e[at + 6] = (byte) Math.min(255, Math.max(refreshHz, 75));        // max V Hz
        e[at + 7] = (byte) Math.max(1, Math.min(30, (int) Math.floor(hFreqKhz)));
        e[at + 8] = (byte) Math.min(255, Math.max(83, (int) Math.ceil(hFreqKhz)));
        e[at + 9] = (byte) Math.min(255, (clock10kHz + 999) / 1000);      // max clock /10 MHz
        put(e, at + 10, 0x00, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20);  // no GTF, padding
    }

    /** Text descriptor: 13 characters, newline-terminated, space-padded. */
    private static void textDescriptor(byte[] e, int at, int tag, byte[] text) {
        put(e, at, 0, 0, 0, tag, 0);
        for (int i = 0; i < 13; i++) {
            e[at + 5 + i] = i < text.length ? text[i] : (byte) (i == text.length ? 0x0a : 0x20);
        }
    }

    private static void put(byte[] e, int at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            e[at + i] = (byte) bytes[i];
        }
    }
}
