package io.github.virgl4j.fuzz;

import static io.github.virgl4j.device.protocol.GpuCommandType.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds one control-queue request from a {@link Source}: the command type first, then each wire
 * field from its kind's interesting values ({@link Kinds}) or any value, memory entries, debug
 * names and virgl streams ({@link VirglGen}); sometimes raw bytes or a mutated encoding, so the
 * decoder's structural checks are fuzzed too. Wire layouts are Linux virtio_gpu.h's.
 */
final class RequestGen {
    private RequestGen() {
    }

    static final int[] TYPES = {GET_DISPLAY_INFO, RESOURCE_CREATE_2D, RESOURCE_UNREF, SET_SCANOUT, RESOURCE_FLUSH,
        TRANSFER_TO_HOST_2D, RESOURCE_ATTACH_BACKING, RESOURCE_DETACH_BACKING, GET_CAPSET_INFO, GET_CAPSET,
        GET_EDID, RESOURCE_ASSIGN_UUID, RESOURCE_CREATE_BLOB, SET_SCANOUT_BLOB, CTX_CREATE, CTX_DESTROY,
        CTX_ATTACH_RESOURCE, CTX_DETACH_RESOURCE, RESOURCE_CREATE_3D, TRANSFER_TO_HOST_3D, TRANSFER_FROM_HOST_3D,
        SUBMIT_3D, RESOURCE_MAP_BLOB, RESOURCE_UNMAP_BLOB, UPDATE_CURSOR, MOVE_CURSOR};
    static final int MAX_ENTRIES = 8;
    static final int MAX_RAW = 256;
    /** Raw requests: every type, unknown ones and a response code. */
    private static final int[] RAW_TYPE = concat(TYPES, new int[] {0, 0x0999, 0x1100, 0x0210});

    private static final int[][] RECT = {Kinds.COORD, Kinds.COORD, Kinds.DIM, Kinds.DIM};
    private static final int[][] CURSOR = {Kinds.SCANOUT, Kinds.COORD, Kinds.COORD, Kinds.PAD, Kinds.ID,
        Kinds.COORD, Kinds.COORD, Kinds.PAD};
    private static final int[][] TRANSFER_3D = {Kinds.COORD, Kinds.COORD, Kinds.COORD, Kinds.DIM, Kinds.DIM,
        Kinds.DEPTH, Kinds.OFFSET_LO, Kinds.OFFSET_HI, Kinds.ID, Kinds.LEVEL, Kinds.STRIDE, Kinds.STRIDE};
    private static final int[][] ID_PAD = {Kinds.ID, Kinds.PAD};

    /** Fixed body dwords after the header, by type (variable parts are added in {@link #next}). */
    private static final Map<Integer, int[][]> BODY = Map.ofEntries(
            Map.entry(GET_DISPLAY_INFO, new int[0][]),
            Map.entry(RESOURCE_CREATE_2D, new int[][] {Kinds.ID, Kinds.FORMAT_2D, Kinds.DIM, Kinds.DIM}),
            Map.entry(RESOURCE_UNREF, ID_PAD),
            Map.entry(SET_SCANOUT, concat(RECT, new int[][] {Kinds.SCANOUT, Kinds.ID})),
            Map.entry(RESOURCE_FLUSH, concat(RECT, ID_PAD)),
            Map.entry(TRANSFER_TO_HOST_2D, concat(RECT, new int[][] {Kinds.OFFSET_LO, Kinds.OFFSET_HI, Kinds.ID,
                Kinds.PAD})),
            Map.entry(RESOURCE_ATTACH_BACKING, new int[][] {Kinds.ID, Kinds.COUNT}),
            Map.entry(RESOURCE_DETACH_BACKING, ID_PAD),
            Map.entry(GET_CAPSET_INFO, new int[][] {Kinds.CAPSET_INDEX, Kinds.PAD}),
            Map.entry(GET_CAPSET, new int[][] {Kinds.CAPSET, Kinds.VERSION}),
            Map.entry(GET_EDID, new int[][] {Kinds.SCANOUT, Kinds.PAD}),
            Map.entry(RESOURCE_ASSIGN_UUID, ID_PAD),
            Map.entry(RESOURCE_CREATE_BLOB, new int[][] {Kinds.ID, Kinds.BLOB_MEM, Kinds.BLOB_FLAGS, Kinds.COUNT,
                Kinds.PAD, Kinds.PAD, Kinds.OFFSET_LO, Kinds.OFFSET_HI}),
            Map.entry(SET_SCANOUT_BLOB, concat(RECT, new int[][] {Kinds.SCANOUT, Kinds.ID, Kinds.DIM, Kinds.DIM,
                Kinds.FORMAT_2D, Kinds.PAD, Kinds.STRIDE, Kinds.STRIDE, Kinds.STRIDE, Kinds.STRIDE,
                Kinds.OFFSET_LO, Kinds.OFFSET_LO, Kinds.OFFSET_LO, Kinds.OFFSET_LO})),
            Map.entry(CTX_CREATE, new int[][] {Kinds.NAME_LENGTH, Kinds.CONTEXT_INIT}),
            Map.entry(CTX_DESTROY, new int[0][]),
            Map.entry(CTX_ATTACH_RESOURCE, ID_PAD),
            Map.entry(CTX_DETACH_RESOURCE, ID_PAD),
            Map.entry(RESOURCE_CREATE_3D, new int[][] {Kinds.ID, Kinds.TARGET, Kinds.FORMAT_3D, Kinds.BIND,
                Kinds.DIM, Kinds.DIM, Kinds.DEPTH, Kinds.DEPTH, Kinds.LEVEL, Kinds.SAMPLES, Kinds.RES_FLAGS,
                Kinds.PAD}),
            Map.entry(TRANSFER_TO_HOST_3D, TRANSFER_3D),
            Map.entry(TRANSFER_FROM_HOST_3D, TRANSFER_3D),
            Map.entry(SUBMIT_3D, new int[0][]),
            Map.entry(RESOURCE_MAP_BLOB, new int[][] {Kinds.ID, Kinds.PAD, Kinds.OFFSET_LO, Kinds.OFFSET_HI}),
            Map.entry(RESOURCE_UNMAP_BLOB, ID_PAD),
            Map.entry(UPDATE_CURSOR, CURSOR),
            Map.entry(MOVE_CURSOR, CURSOR));

    static int typeIndex(int type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes of the next request, or null when the input asks for no more. */
    static byte[] next(Source s) {
        ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        int op = s.op();
        if (op < 0) {
            return null;
        }
        if (op == TYPES.length) {
            b.putInt(s.u32(RAW_TYPE)).put(s.bytes(s.range(0, MAX_RAW)));
        } else {
            int type = TYPES[op];
            b.putInt(type).putInt(s.u32(Kinds.FLAGS)).putLong(s.u64(Kinds.FENCE)).putInt(s.u32(Kinds.CTX))
                    .putInt(s.u32(Kinds.RING));
            for (int[] kind : BODY.get(type)) {
                b.putInt(s.u32(kind));
            }
            switch (type) {
                case RESOURCE_ATTACH_BACKING -> entries(s, b, b.getInt(28));
                case RESOURCE_CREATE_BLOB -> entries(s, b, b.getInt(36));
                case CTX_CREATE -> b.put(s.bytes(64));
                case SUBMIT_3D -> VirglGen.submit(s, b);
                default -> { }
            }
        }
        return mutate(s, Arrays.copyOf(b.array(), b.position()));
    }

    private static void entries(Source s, ByteBuffer b, int declared) {
        int present = s.entriesPresent(declared);
        for (int i = 0; i < present; i++) {
            b.putLong(s.u64(Kinds.ADDR)).putInt(s.u32(Kinds.LENGTH)).putInt(s.u32(Kinds.PAD));
        }
    }

    private static byte[] mutate(Source s, byte[] req) {
        switch (s.mutation()) {
            case 0:
                return req;
            case 1:
                return Arrays.copyOf(req, s.range(0, req.length));
            case 2: {
                byte[] tail = s.bytes(s.range(1, 64));
                byte[] out = Arrays.copyOf(req, req.length + tail.length);
                System.arraycopy(tail, 0, out, req.length, tail.length);
                return out;
            }
            case 3:
                req[s.range(0, req.length - 1)] = (byte) s.range(0, 255);
                return req;
            default: {
                int at = s.range(0, req.length / 4 - 1) * 4;
                ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN).putInt(at, s.u32(Kinds.DIM));
                return req;
            }
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[][] concat(int[][] a, int[][] b) {
        int[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
