package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.transport.vhostuser.DecodeResult;
import io.github.virgl4j.transport.vhostuser.MemoryRegionDescription;
import io.github.virgl4j.transport.vhostuser.VhostUserDecoder;
import io.github.virgl4j.transport.vhostuser.VhostUserHeader;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.*;
import io.github.virgl4j.transport.vhostuser.VhostUserRequest;
import io.github.virgl4j.transport.vhostuser.VringAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (e): {@link VhostUserDecoder} on one framed front-end message (12-byte header,
 * payload, 0-9 received descriptors), the payload in any kind of buffer (heap, direct,
 * read-only, an offset slice in big-endian order). It must never throw nor reach its safety
 * net ("decoder failure"), nor move the buffer; every descriptor is either owned by the decoded
 * message or closed, exactly once; a decoded message is the request the header names and
 * re-encodes to the payload's bytes (reserved and padding fields aside).
 */
class VhostUserFuzzTest {
    static final FuzzStats STATS = new FuzzStats("vhostuser");
    static final int MAX_FDS = 9;
    private static final int FIRST_FD = 1000;
    private static final List<String> OUTCOMES = new ArrayList<>();

    @AfterAll
    static void report() {
        STATS.write();
        if (!FuzzStats.fuzzing()) {
            VhostUserSeeds.check(OUTCOMES);
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void message(FuzzedDataProvider data) {
        STATS.count("inputs");
        int shape = data.consumeInt(0, DecoderFuzzTest.SHAPES - 1);
        int nfds = data.consumeInt(0, MAX_FDS);
        boolean framed = data.consumeBoolean();
        String outcome = run(shape, nfds, framed, data.consumeRemainingAsBytes());
        STATS.count("outcome." + outcome);
        if (!FuzzStats.fuzzing()) {
            OUTCOMES.add(outcome);
        }
    }

    /**
     * @param framed  header size = payload length, as the framing layer guarantees; otherwise
     *                the size field is the message's own
     * @param message header (zero-padded to 12 bytes) then payload
     * @return e.g. "ok SET_MEM_TABLE" or "rejected MISSING_FD"
     */
    static String run(int shape, int nfds, boolean framed, byte[] message) {
        byte[] head = Arrays.copyOf(message, VhostUserHeader.SIZE);
        byte[] body = message.length > VhostUserHeader.SIZE
                ? Arrays.copyOfRange(message, VhostUserHeader.SIZE, message.length) : new byte[0];
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder());
        VhostUserHeader header = new VhostUserHeader(h.getInt(0), h.getInt(4), framed ? body.length : h.getInt(8));
        int[] fds = new int[nfds];
        for (int i = 0; i < nfds; i++) {
            fds[i] = FIRST_FD + i;
        }
        List<Integer> closed = new ArrayList<>();
        ByteBuffer payload = DecoderFuzzTest.wrap(shape, body);
        int position = payload.position();
        int limit = payload.limit();
        ByteOrder order = payload.order();

        DecodeResult r = new VhostUserDecoder(closed::add).decode(header, payload, fds.clone());

        if (r == null || payload.position() != position || payload.limit() != limit || payload.order() != order) {
            throw new AssertionError("decode returned " + r + " or moved the buffer");
        }
        int[] kept = r instanceof DecodeResult.Ok ok ? ok.message().fds() : new int[0];
        List<Integer> accounted = new ArrayList<>(closed);
        Arrays.stream(kept).forEach(accounted::add);
        accounted.sort(null);
        if (!accounted.equals(Arrays.stream(fds).boxed().toList())) {
            throw new AssertionError("descriptors " + Arrays.toString(fds) + ": kept " + Arrays.toString(kept)
                    + ", closed " + closed + " (" + r + ")");
        }
        if (r instanceof DecodeResult.Rejected rej) {
            if (rej.detail().startsWith("decoder failure") || rej.code() != header.request()) {
                throw new AssertionError("rejection " + rej);
            }
            STATS.count("rejected." + rej.reason());
            return "rejected " + rej.reason();
        }
        VhostUserMessage m = ((DecodeResult.Ok) r).message();
        if (m.request().code() != header.request() || header.version() != VhostUserHeader.VERSION
                || header.isReply() || body.length != header.size()) {
            throw new AssertionError(m + " decoded from " + header + " and " + body.length + " payload bytes");
        }
        byte[] expected = significant(m.request(), body);
        byte[] again = encode(m);
        if (!Arrays.equals(expected, again)) {
            throw new AssertionError(m + " re-encodes to " + Arrays.toString(again) + ", payload has "
                    + Arrays.toString(expected));
        }
        return "ok " + m.request();
    }

    /** The payload with the bytes the decoder may ignore zeroed or cut (padding, trailing regions). */
    private static byte[] significant(VhostUserRequest req, byte[] body) {
        byte[] b = body.clone();
        switch (req) {
            case SET_MEM_TABLE -> {
                int n = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(0);
                b = Arrays.copyOf(b, 8 + n * MemoryRegionDescription.SIZE);
                Arrays.fill(b, 4, 8, (byte) 0); // padding
            }
            case ADD_MEM_REG, REM_MEM_REG -> Arrays.fill(b, 0, 8, (byte) 0); // padding before the region
            case GET_VRING_BASE -> Arrays.fill(b, 4, 8, (byte) 0); // num: unused in the request
            case GET_CONFIG -> Arrays.fill(b, 12, b.length, (byte) 0); // the front end's buffer
            default -> {
            }
        }
        return b;
    }

    /** The payload a front end sends for m (native order), reserved fields zero. */
    static byte[] encode(VhostUserMessage m) {
        ByteBuffer b = ByteBuffer.allocate(VhostUserDecoder.MAX_PAYLOAD).order(ByteOrder.nativeOrder());
        if (m instanceof SetFeatures f) {
            b.putLong(f.features());
        } else if (m instanceof SetProtocolFeatures f) {
            b.putLong(f.features());
        } else if (m instanceof SetMemTable t) {
            b.putInt(t.regions().size()).putInt(0);
            t.regions().forEach(r -> region(b, r));
        } else if (m instanceof AddMemReg a) {
            region(b.putLong(0), a.region());
        } else if (m instanceof RemMemReg a) {
            region(b.putLong(0), a.region());
        } else if (m instanceof SetVringNum v) {
            b.putInt(v.index()).putInt(v.num());
        } else if (m instanceof SetVringBase v) {
            b.putInt(v.index()).putInt(v.base());
        } else if (m instanceof GetVringBase v) {
            b.putInt(v.index()).putInt(0);
        } else if (m instanceof SetVringEnable v) {
            b.putInt(v.index()).putInt(v.enable() ? 1 : 0);
        } else if (m instanceof SetVringAddr a) {
            VringAddress v = a.address();
            b.putInt(v.index()).putInt(v.flags()).putLong(v.desc()).putLong(v.used()).putLong(v.avail()).putLong(v.log());
        } else if (m instanceof SetVringFd v) {
            b.putLong(v.index() | (v.fd() < 0 ? 1L << 8 : 0));
        } else if (m instanceof GetConfig c) {
            b.putInt(c.offset()).putInt(c.size()).putInt(c.flags()).put(new byte[c.size()]);
        } else if (m instanceof SetConfig c) {
            b.putInt(c.offset()).putInt(c.data().length).putInt(c.flags()).put(c.data());
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void region(ByteBuffer b, MemoryRegionDescription r) {
        b.putLong(r.guestAddress()).putLong(r.size()).putLong(r.userAddress()).putLong(r.mmapOffset());
    }
}
