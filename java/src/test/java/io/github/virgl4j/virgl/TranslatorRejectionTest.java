package io.github.virgl4j.virgl;

import static io.github.virgl4j.virgl.Streams.GUEST;
import static io.github.virgl4j.virgl.Streams.hdr;
import static io.github.virgl4j.virgl.Streams.stream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.virgl4j.virgl.TranslationException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Streams the translator must refuse, and what the refusal says. */
class TranslatorRejectionTest {
    private static final int RGBA8 = VirglCommands.FORMAT_R8G8B8A8_UNORM;

    private static TranslationException refused(int... dwords) {
        return assertThrows(TranslationException.class, () -> VirglStreamTranslator.translate(stream(dwords), GUEST));
    }

    private static TranslationException refused(VirglCommands commands) {
        return assertThrows(TranslationException.class,
                () -> VirglStreamTranslator.translate(commands.build(), GUEST));
    }

    @Test
    void aResourceTheGuestDoesNotOwnNamesCommandIndexAndDword() {
        TranslationException e = refused(new VirglCommands()
                .createSurface(1, 1, RGBA8)               // dwords 0..5
                .copyRegion(2, 0, 0, 9, 0, 0, 4, 4));     // header at 6, source at 6 + 6
        assertEquals(Reason.UNKNOWN_RESOURCE, e.reason());
        assertEquals(1, e.commandIndex());
        assertEquals(12, e.dwordOffset());
        assertEquals(17, e.command());
        assertEquals(9, e.guestHandle());
        assertEquals("virgl command #1 RESOURCE_COPY_REGION at dword 12: resource 9 (payload dword 6) is not the"
                + " guest's", e.getMessage());
    }

    @Test
    void anUnownedResourceInsideARepeatedElement() {
        TranslationException e = refused(new VirglCommands().setVertexBuffers(16, 0, 1, 16, 0, 7));
        assertEquals(Reason.UNKNOWN_RESOURCE, e.reason());
        assertEquals(6, e.dwordOffset());
        assertEquals(7, e.guestHandle());
        assertEquals("virgl command #0 SET_VERTEX_BUFFERS at dword 6: resource 7 (payload dword 6) is not the"
                + " guest's", e.getMessage());
    }

    @Test
    void anUnownedResourceOfAnObjectNamesTheObjectType() {
        TranslationException e = refused(new VirglCommands().createSamplerView(1, 40, RGBA8));
        assertEquals(Reason.UNKNOWN_RESOURCE, e.reason());
        assertEquals(2, e.dwordOffset());
        assertEquals("virgl command #0 CREATE_OBJECT/SAMPLER_VIEW at dword 2: resource 40 (payload dword 2) is"
                + " not the guest's", e.getMessage());
    }

    @Test
    void handlesAboveTwoToThe31AreUnsigned() {
        TranslationException e = refused(new VirglCommands().getMemoryInfo(0x80000001));
        assertEquals(0x80000001, e.guestHandle());
        assertEquals("virgl command #0 GET_MEMORY_INFO at dword 1: resource 2147483649 (payload dword 1) is not"
                + " the guest's", e.getMessage());
    }

    @Test
    void aMapperAnswerOfZeroIsARefusalToo() {
        TranslationException e = assertThrows(TranslationException.class,
                () -> VirglStreamTranslator.translate(new VirglCommands().getMemoryInfo(3).build(), g -> 0));
        assertEquals(Reason.UNKNOWN_RESOURCE, e.reason());
    }

    @Test
    void unknownCommandNumbers() {
        TranslationException macroblock = refused(hdr(Ccmd.DECODE_MACROBLOCK, 0, 1), 0);
        assertEquals(Reason.UNKNOWN_COMMAND, macroblock.reason());
        assertEquals("virgl command #0 DECODE_MACROBLOCK at dword 0: no layout for this command",
                macroblock.getMessage());

        TranslationException future = refused(hdr(Ccmd.SET_TWEAKS, 0, 2), 0, 0, hdr(64, 0, 0));
        assertEquals(Reason.UNKNOWN_COMMAND, future.reason());
        assertEquals(1, future.commandIndex());
        assertEquals(3, future.dwordOffset());
        assertEquals(64, future.command());
        assertEquals("virgl command #1 command 64 at dword 3: no layout for this command", future.getMessage());

        assertEquals("virgl command #0 command 255 at dword 0: no layout for this command",
                refused(hdr(255, 0, 0)).getMessage());
    }

    @Test
    void unknownObjectTypes() {
        assertEquals("virgl command #0 CREATE_OBJECT/NULL at dword 0: no layout for object type 0",
                refused(hdr(Ccmd.CREATE_OBJECT, 0, 1), 1).getMessage());
        assertEquals("virgl command #0 CREATE_OBJECT/object type 12 at dword 0: no layout for object type 12",
                refused(hdr(Ccmd.CREATE_OBJECT, 12, 1), 1).getMessage());
        assertEquals("virgl command #0 BIND_OBJECT/SURFACE at dword 0: no layout for object type 8",
                refused(hdr(Ccmd.BIND_OBJECT, Ccmd.OBJ_SURFACE, 1), 1).getMessage());
        assertEquals(Reason.UNKNOWN_COMMAND, refused(hdr(Ccmd.DESTROY_OBJECT, 200, 1), 1).reason());
    }

    @Test
    void lengthsThatDoNotFitTheLayout() {
        assertEquals("virgl command #0 CLEAR at dword 0: payload of 7 dwords, expected 8",
                refused(hdr(Ccmd.CLEAR, 0, 7), 0, 0, 0, 0, 0, 0, 0).getMessage());
        assertEquals("virgl command #0 DRAW_VBO at dword 0: payload of 13 dwords, expected 12 or 14 or 20",
                refused(hdr(Ccmd.DRAW_VBO, 0, 13), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).getMessage());
        assertEquals("virgl command #0 SET_VERTEX_BUFFERS at dword 0: payload of 4 dwords, expected 3k, k in 0..32",
                refused(hdr(Ccmd.SET_VERTEX_BUFFERS, 0, 4), 0, 0, 1, 0).getMessage());
        assertEquals("virgl command #0 RESOURCE_INLINE_WRITE at dword 0: payload of 11 dwords, expected at least 12",
                refused(hdr(Ccmd.RESOURCE_INLINE_WRITE, 0, 11), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).getMessage());
        assertEquals("virgl command #0 PIPE_RESOURCE_SET_TYPE at dword 0: payload of 8 dwords, expected 8 + 2k,"
                + " k in 1..4", refused(hdr(Ccmd.PIPE_RESOURCE_SET_TYPE, 0, 8), 1, 0, 0, 0, 0, 0, 0, 0).getMessage());
        assertEquals("virgl command #0 CREATE_OBJECT/SURFACE at dword 0: payload of 6 dwords, expected 5",
                refused(hdr(Ccmd.CREATE_OBJECT, Ccmd.OBJ_SURFACE, 6), 1, 1, RGBA8, 0, 0, 0).getMessage());
    }

    @Test
    void longerThanTheProtocolDefinesIsRefusedEvenWhereTheRendererWouldIgnoreTheRest() {
        // vrend_decode_transfer3d accepts >= 13 dwords; a 14th could be a handle to a newer renderer.
        TranslationException e = refused(new VirglCommands().command(Ccmd.TRANSFER3D, 0,
                1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 2));
        assertEquals(Reason.BAD_LENGTH, e.reason());
        assertEquals("virgl command #0 TRANSFER3D at dword 0: payload of 14 dwords, expected 13", e.getMessage());
    }

    @Test
    void framebufferCountMustMatchItsLength() {
        TranslationException e = refused(hdr(Ccmd.SET_FRAMEBUFFER_STATE, 0, 3), 2, 0, 1);
        assertEquals(Reason.BAD_LENGTH, e.reason());
        assertEquals("virgl command #0 SET_FRAMEBUFFER_STATE at dword 0: payload of 3 dwords, expected 2 + k,"
                + " k in 0..8 with k = dword 1 (2)", e.getMessage());
        assertEquals(Reason.BAD_LENGTH, refused(hdr(Ccmd.SET_FRAMEBUFFER_STATE, 0, 11),
                9, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1).reason());
    }

    @Test
    void aCommandRunningPastTheEnd() {
        TranslationException e = refused(new VirglCommands().createSurface(1, 1, RGBA8)
                .raw(hdr(Ccmd.RESOURCE_COPY_REGION, 0, 13), 1, 0, 0, 0));
        assertEquals(Reason.TRUNCATED, e.reason());
        assertEquals(1, e.commandIndex());
        assertEquals(6, e.dwordOffset());
        assertEquals("virgl command #1 RESOURCE_COPY_REGION at dword 6: payload of 13 dwords runs past the end"
                + " of the stream (4 left)", e.getMessage());

        assertEquals(Reason.TRUNCATED, refused(hdr(Ccmd.SET_STENCIL_REF, 0, 1)).reason());
        assertEquals(Reason.TRUNCATED, refused(0xffff0000).reason());
    }

    @Test
    void aStreamOfPartDwords() {
        ByteBuffer seven = ByteBuffer.allocate(7);
        TranslationException e = assertThrows(TranslationException.class,
                () -> VirglStreamTranslator.translate(seven, GUEST));
        assertEquals(Reason.NOT_WHOLE_DWORDS, e.reason());
        assertEquals(-1, e.commandIndex());
        assertEquals(1, e.dwordOffset());
        assertEquals("virgl stream at dword 1: 7 bytes are not whole dwords", e.getMessage());
    }

    @Test
    void anEmptyStreamIsEmpty() throws Exception {
        ByteBuffer out = VirglStreamTranslator.translate(ByteBuffer.allocate(0), GUEST);
        assertEquals(0, out.remaining());
    }

    @Test
    void onlyTheRemainingBytesAreTranslatedAndTheInputIsLeftAlone() throws Exception {
        ByteBuffer in = ByteBuffer.allocate(4 + 8).order(ByteOrder.BIG_ENDIAN);
        in.putInt(0xdeadbeef); // before position: not part of the stream
        in.order(ByteOrder.LITTLE_ENDIAN).putInt(hdr(Ccmd.GET_MEMORY_INFO, 0, 1)).putInt(2);
        in.position(4).order(ByteOrder.BIG_ENDIAN);

        ByteBuffer out = VirglStreamTranslator.translate(in, GUEST);

        assertEquals(ByteOrder.LITTLE_ENDIAN, out.order());
        assertEquals(0, out.position());
        assertArrayEquals(new int[] {hdr(Ccmd.GET_MEMORY_INFO, 0, 1), 5001}, Streams.dwords(out));
        assertEquals(4, in.position());
        assertEquals(12, in.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, in.order());
        assertEquals(2, in.order(ByteOrder.LITTLE_ENDIAN).getInt(8));
    }

    @Test
    void noPayloadLengthIsUsedToAllocate() throws Exception {
        // A NOP that claims 65535 dwords in an 8-byte stream is refused, not allocated for.
        assertEquals(Reason.TRUNCATED, refused(hdr(Ccmd.NOP, 0, 0xffff), 0).reason());
        // A long valid NOP is copied as is.
        int[] nop = new int[1 + 0xffff];
        nop[0] = hdr(Ccmd.NOP, 0, 0xffff);
        nop[0xffff] = 42;
        assertArrayEquals(nop, Streams.translated(nop));
    }
}
