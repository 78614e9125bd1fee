package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EdidTest {

    private static int u8(byte[] e, int i) {
        return e[i] & 0xff;
    }

    @Test
    void headerVersionAndChecksum() {
        byte[] e = Edid.generate(1024, 768);
        assertEquals(128, e.length);
        assertArrayEquals(new byte[] {0, -1, -1, -1, -1, -1, -1, 0}, java.util.Arrays.copyOf(e, 8));
        assertEquals(1, e[18]);
        assertEquals(3, e[19]);
        int sum = 0;
        for (byte b : e) {
            sum += b & 0xff;
        }
        assertEquals(0, sum % 256);
        assertEquals(0, e[126], "no extensions");
    }

    @Test
    void preferredTimingCarriesTheResolution() {
        int[][] modes = {{1024, 768}, {1920, 1080}, {3840, 2160}, {640, 480}, {4095, 2160}};
        for (int[] m : modes) {
            byte[] e = Edid.generate(m[0], m[1]);
            int d = 54;
            int hActive = u8(e, d + 2) | (u8(e, d + 4) >> 4) << 8;
            int vActive = u8(e, d + 5) | (u8(e, d + 7) >> 4) << 8;
            int hBlank = u8(e, d + 3) | (u8(e, d + 4) & 0xf) << 8;
            int vBlank = u8(e, d + 6) | (u8(e, d + 7) & 0xf) << 8;
            int clock = u8(e, d) | u8(e, d + 1) << 8;
            assertEquals(m[0], hActive);
            assertEquals(m[1], vActive);
            assertEquals(160, hBlank);
            double refresh = clock * 10_000.0 / ((hActive + hBlank) * (double) (vActive + vBlank));
            assertEquals(60.0, refresh, 0.5, m[0] + "x" + m[1]);
            assertEquals(0x02, e[24] & 0x02, "preferred timing bit");
        }
    }

    @Test
    void knownTimingFor1920x1080() {
        byte[] e = Edid.generate(1920, 1080);
        // 2080 x (1080 + 31) x 60 Hz = 138.65 MHz, in 10 kHz units = 13865 = 0x3629.
        assertEquals(0x29, u8(e, 54));
        assertEquals(0x36, u8(e, 55));
        assertEquals(31, u8(e, 60));
    }

    @Test
    void descriptorsAreRangeLimitsNameAndDummy() {
        byte[] e = Edid.generate(800, 600);
        assertEquals(0xfd, u8(e, 72 + 3));
        assertEquals(0xfc, u8(e, 90 + 3));
        assertEquals("virgl4j\n     ", new String(e, 95, 13, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0x10, u8(e, 108 + 3));
        // Manufacturer "VGL": 0 10110 00111 01100.
        assertEquals(0x58, u8(e, 8));
        assertEquals(0xec, u8(e, 9));
    }

    @Test
    void rejectsValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> Edid.generate(0, 600));
        assertThrows(IllegalArgumentException.class, () -> Edid.generate(4096, 600));
        // 4095x4095@60 needs about 1 GHz; the descriptor holds at most 655.35 MHz.
        assertThrows(IllegalArgumentException.class, () -> Edid.generate(4095, 4095));
        assertThrows(IllegalArgumentException.class, () -> Edid.generate(800, 600, 60, "fourteen chars"));
    }
}
