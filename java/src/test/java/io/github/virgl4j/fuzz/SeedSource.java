package io.github.virgl4j.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Source} that answers every question from one real request and records, with an
 * {@link FdpWriter}, the fuzzer input that gives the same answers. Running {@link RequestGen}
 * over it turns guest requests into a seed file; {@link #seed} checks that the generator
 * rebuilt each request byte for byte, and falls back to a raw request (type, then bytes) for
 * requests the structured path cannot express (e.g. the mutated ones a fuzzer found).
 */
final class SeedSource implements Source {
    private final ByteBuffer current;
    private final boolean raw;
    private final FdpWriter out = new FdpWriter();
    private boolean asked;
    private boolean rawLengthGiven;
    /** End of the virgl stream being read, or -1. */
    private int streamEnd = -1;

    private SeedSource(ByteBuffer request, boolean raw) {
        this.current = request.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.raw = raw;
    }

    /** The fuzzer input from which {@link RequestGen} generates exactly these requests. */
    static byte[] seed(List<ByteBuffer> requests) {
        FdpWriter all = new FdpWriter();
        for (int i = 0; i < requests.size(); i++) {
            FdpWriter one = encode(requests.get(i), false);
            if (one == null) {
                one = encode(requests.get(i), true);
            }
            if (one == null) {
                throw new IllegalArgumentException("request " + i + " cannot be expressed as fuzzer input");
            }
            all.append(one);
        }
        return all.toByteArray();
    }

    /** The input for one request, or null if this path cannot rebuild it exactly. */
    private static FdpWriter encode(ByteBuffer request, boolean raw) {
        byte[] want = new byte[request.remaining()];
        request.duplicate().get(want);
        SeedSource s = new SeedSource(request, raw);
        try {
            byte[] got = RequestGen.next(s);
            return Arrays.equals(got, want) ? s.out : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean more() {
        return !asked;
    }

    @Override
    public int op() {
        asked = true;
        if (raw) {
            out.intInRange(RequestGen.TYPES.length + 1, 0, RequestGen.TYPES.length + 1);
            return RequestGen.TYPES.length;
        }
        int i = RequestGen.typeIndex(current.getInt());
        if (i < 0) {
            throw new IllegalArgumentException("unknown type");
        }
        out.intInRange(i + 1, 0, RequestGen.TYPES.length + 1);
        return i;
    }

    @Override
    public int u32(int[] kind) {
        if (current.remaining() < 4) { // a raw request shorter than its type: padded, then truncated
            byte[] b = new byte[4];
            current.get(b, 0, current.remaining());
            return pick(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(), kind);
        }
        return pick(current.getInt(), kind);
    }

    private int pick(int v, int[] kind) {
        for (int i = 0; i < kind.length; i++) {
            if (kind[i] == v) {
                out.intInRange(i, 0, kind.length);
                return v;
            }
        }
        out.intInRange(kind.length, 0, kind.length).anyInt(v);
        return v;
    }

    @Override
    public long u64(long[] kind) {
        long v = current.getLong();
        for (int i = 0; i < kind.length; i++) {
            if (kind[i] == v) {
                out.intInRange(i, 0, kind.length);
                return v;
            }
        }
        out.intInRange(kind.length, 0, kind.length).anyLong(v);
        return v;
    }

    @Override
    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        current.get(b);
        out.bytes(b);
        return b;
    }

    @Override
    public int entriesPresent(int declared) {
        int present = current.remaining() / 16;
        if (present > RequestGen.MAX_ENTRIES) {
            throw new IllegalArgumentException("seeds hold at most " + RequestGen.MAX_ENTRIES + " entries");
        }
        if (present == Math.min(Integer.toUnsignedLong(declared), RequestGen.MAX_ENTRIES)) {
            out.bool(false);
        } else {
            out.bool(true).intInRange(present, 0, RequestGen.MAX_ENTRIES);
        }
        return present;
    }

    @Override
    public boolean submitSizeLies() {
        int size = current.getInt();
        if (size != current.remaining() - 4) {
            throw new IllegalArgumentException("seed SUBMIT_3D size " + size + " is not its stream length");
        }
        streamEnd = current.limit();
        out.intInRange(0, 0, 7);
        return false;
    }

    @Override
    public int virglCommands() {
        // Count the headers from here to the end of the request (the stream).
        ByteBuffer s = current.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        while (s.remaining() >= 4) {
            int len = s.getInt() >>> 16;
            s.position(Math.min(s.limit(), s.position() + 4 * len));
            n++;
        }
        if (n > VirglGen.MAX_COMMANDS || s.position() != streamEnd) {
            throw new IllegalArgumentException("seed virgl stream of " + n + " commands does not fit the generator");
        }
        out.intInRange(n, 0, VirglGen.MAX_COMMANDS);
        return n;
    }

    @Override
    public int virglHeader() {
        int h = current.getInt();
        pick(h & 0xff, VirglGen.CMD);
        pick((h >>> 8) & 0xff, VirglGen.OBJ);
        pick(h >>> 16, VirglGen.LEN);
        return h;
    }

    @Override
    public int virglBody(int declared) {
        if (declared > VirglGen.MAX_BODY || 4L * declared > current.remaining()) {
            throw new IllegalArgumentException("seed virgl command body of " + declared + " dwords does not fit");
        }
        out.intInRange(0, 0, 7);
        return declared;
    }

    @Override
    public int mutation() {
        if (raw && current.limit() < 4) {
            out.intInRange(12, 0, 15); // truncate
            return 1;
        }
        out.intInRange(0, 0, 15);
        return 0;
    }

    /** Raw requests only: first the length after the type, then (short ones) the truncation. */
    @Override
    public int range(int min, int max) {
        int v = rawLengthGiven ? current.limit() : current.remaining();
        rawLengthGiven = true;
        out.intInRange(v, min, max);
        return v;
    }
}
