package io.github.virgl4j.fuzz;

/**
 * Interesting values of each kind of wire field: the live objects of {@link DeviceFixture}, the
 * edges the device checks (0, limits, one past them) and values that overflow when multiplied.
 * The fuzzer picks one of these or any value.
 */
final class Kinds {
    private Kinds() {
    }

    static final long RAM = DeviceFixture.RAM_BASE;
    static final long RAM_END = DeviceFixture.RAM_BASE + DeviceFixture.RAM_SIZE;

    static final int[] PAD = {0};
    static final int[] FLAGS = {0, 1, 2, 3, -1};
    static final long[] FENCE = {0, 1, 2, 42, -1L};
    static final int[] CTX = {0, 1, 2, 3, 5, -1};
    static final int[] RING = {0, 1, 63, 64, 255};

    /** Live resources 10-13, fresh ids, 0, -1. */
    static final int[] ID = {10, 11, 12, 13, 0, 1, 20, 21, 22, -1};
    static final int[] FORMAT_2D = {1, 2, 3, 4, 67, 68, 121, 134, 0, 5};
    static final int[] FORMAT_3D = {1, 2, 67, 68, 64, 19, 31, 121, 134, 0, 300};
    static final int[] TARGET = {2, 0, 1, 3, 4, 5, 6, 7, 8, 9};
    static final int[] BIND = {0x4000a, 2, 8, 0x10, 0x20, 0x40, 0, 1 << 18, -1};
    static final int[] DIM = {64, 1, 8, 16, 32, 63, 65, 0, 4096, 16384, 16385, -1, Integer.MIN_VALUE};
    static final int[] COORD = {0, 1, 8, 32, 63, 64, -1};
    static final int[] DEPTH = {1, 0, 2, 6, 2048, 2049};
    static final int[] LEVEL = {0, 1, 15, 16, -1};
    static final int[] SAMPLES = {0, 1, 4, 32, 33};
    static final int[] RES_FLAGS = {0, 1, -1};
    static final int[] SCANOUT = {0, 1, 2, 16, -1};
    static final int[] OFFSET_LO = {0, 4, 256, 4096, 16384, 16383, 1 << 20, -4, -1};
    static final int[] OFFSET_HI = {0, 1, -1, Integer.MIN_VALUE};
    static final int[] STRIDE = {0, 256, 4, 1, 255, 257, 16384, 1 << 30, -4, Integer.MAX_VALUE};
    /** nr_entries: the fixture limit is 4, the decoder's 16384. */
    static final int[] COUNT = {1, 0, 2, 4, 5, 8, 16384, 16385, -1};
    static final long[] ADDR = {RAM, RAM + 0x4000, RAM + 0x8000, RAM + 0xc000, RAM_END - 4096, RAM_END - 16,
        RAM_END, 0, -1L, Long.MIN_VALUE, RAM - 1};
    static final int[] LENGTH = {16384, 4096, 1, 0, 0x10000, 1 << 20, 16, -1};
    static final int[] CAPSET_INDEX = {0, 1, 2, -1};
    static final int[] CAPSET = {1, 2, 0, 3, 4};
    static final int[] VERSION = {1, 2, 0, 3, -1};
    static final int[] NAME_LENGTH = {4, 0, 1, 63, 64, 65, -1};
    static final int[] CONTEXT_INIT = {0, 1, 2, 3, 4, 0x100, -1};
    static final int[] BLOB_MEM = {1, 2, 3, 4, 0};
    static final int[] BLOB_FLAGS = {0, 1, 2, 4, 7};
    static final int[] SUBMIT_SIZE = {0, 4, 3, 4096, 4100, -1};
}
