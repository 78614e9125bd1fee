package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;

/** {@link Source} over Jazzer's FuzzedDataProvider: choices from the input's tail, bytes from its front. */
final class FdpSource implements Source {
    private final FuzzedDataProvider data;

    FdpSource(FuzzedDataProvider data) {
        this.data = data;
    }

    @Override
    public boolean more() {
        return data.remainingBytes() > 0;
    }

    @Override
    public int op() {
        // 0, also what an exhausted input gives, ends the input.
        return data.consumeInt(0, RequestGen.TYPES.length + 1) - 1;
    }

    @Override
    public int u32(int[] kind) {
        int i = data.consumeInt(0, kind.length);
        return i < kind.length ? kind[i] : data.consumeInt();
    }

    @Override
    public long u64(long[] kind) {
        int i = data.consumeInt(0, kind.length);
        return i < kind.length ? kind[i] : data.consumeLong();
    }

    @Override
    public byte[] bytes(int n) {
        return Arrays.copyOf(data.consumeBytes(n), n);
    }

    @Override
    public int entriesPresent(int declared) {
        if (data.consumeBoolean()) {
            return data.consumeInt(0, RequestGen.MAX_ENTRIES);
        }
        return (int) Math.min(Integer.toUnsignedLong(declared), RequestGen.MAX_ENTRIES);
    }

    @Override
    public boolean submitSizeLies() {
        return data.consumeInt(0, 7) == 7;
    }

    @Override
    public int virglCommands() {
        return data.consumeInt(0, VirglGen.MAX_COMMANDS);
    }

    @Override
    public int virglHeader() {
        int cmd = u32(VirglGen.CMD);
        int obj = u32(VirglGen.OBJ);
        int len = u32(VirglGen.LEN);
        return (cmd & 0xff) | (obj & 0xff) << 8 | len << 16;
    }

    @Override
    public int virglBody(int declared) {
        if (data.consumeInt(0, 7) == 7) {
            return data.consumeInt(0, VirglGen.MAX_BODY);
        }
        return Math.min(declared, VirglGen.MAX_BODY);
    }

    @Override
    public int mutation() {
        int m = data.consumeInt(0, 15);
        return m < 12 ? 0 : m - 11;
    }

    @Override
    public int range(int min, int max) {
        return data.consumeInt(min, max);
    }
}
