package io.github.virgl4j.virgl;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kinds of {@link CommandLayout}, as small declarative values. Payload dwords are numbered from
 * 1, as the offsets in virgl_protocol.h are (the header is dword 0).
 */
final class Layouts {
    private Layouts() {
    }

    /** Resource-handle dword numbers, for readability at call sites: {@code fixed(13, handles(1, 6))}. */
    static int[] handles(int... dwords) {
        return dwords;
    }

    /** Exactly {@code length} payload dwords, of which {@code handles} are resource handles. */
    static Fixed fixed(int length, int... handles) {
        for (int h : handles) {
            if (h < 1 || h > length) {
                throw new IllegalArgumentException("handle dword " + h + " outside a payload of " + length);
            }
        }
        return new Fixed(length, handles.clone());
    }

    /** One of several fixed layouts, told apart by length. */
    static CommandLayout oneOf(Fixed... choices) {
        return new OneOf(choices.clone());
    }

    /**
     * At least {@code minLength} dwords; {@code handles} (all below {@code minLength}) are resource
     * handles and everything after them is data the renderer reads as bytes (inline texels,
     * constants, shader text, strings), never as handles.
     */
    static CommandLayout atLeast(int minLength, int... handles) {
        fixed(minLength, handles);
        return new AtLeast(minLength, handles.clone());
    }

    /** A payload of any length that the renderer never reads (NOP, END_TRANSFERS padding). */
    static CommandLayout anyPayload() {
        return command -> { };
    }

    /** {@code head} dwords ({@code handles} among them) followed by repeated elements; see {@link Repeated}. */
    static Repeated head(int head, int... handles) {
        fixed(head, handles);
        return new Repeated(head, handles.clone(), 1, 0, 0, new int[0], 0);
    }

    /** Repeated elements of {@code stride} dwords with no head. */
    static Repeated elements(int stride) {
        return head(0).elements(stride);
    }

    /** A fixed-length layout. */
    record Fixed(int length, int[] handles) implements CommandLayout {
        @Override
        public void apply(CommandPayload command) throws TranslationException {
            if (command.length() != length) {
                throw command.badLength(Integer.toString(length));
            }
            for (int h : handles) {
                command.rewriteHandle(h);
            }
        }
    }

    private record OneOf(Fixed[] choices) implements CommandLayout {
        @Override
        public void apply(CommandPayload command) throws TranslationException {
            for (Fixed choice : choices) {
                if (choice.length() == command.length()) {
                    choice.apply(command);
                    return;
                }
            }
            throw command.badLength(Arrays.stream(choices).map(c -> Integer.toString(c.length()))
                    .collect(Collectors.joining(" or ")));
        }
    }

    private record AtLeast(int minLength, int[] handles) implements CommandLayout {
        @Override
        public void apply(CommandPayload command) throws TranslationException {
            if (command.length() < minLength) {
                throw command.badLength("at least " + minLength);
            }
            for (int h : handles) {
                command.rewriteHandle(h);
            }
        }
    }

    /**
     * {@code head} dwords, then {@code count} elements of {@code stride} dwords each, with
     * {@code minCount ≤ count ≤ maxCount}. {@code headHandles} are payload dword numbers;
     * {@code elementHandles} are 0-based positions inside each element. When {@code countDword} is
     * not 0, that head dword must hold the element count (SET_FRAMEBUFFER_STATE's nr_cbufs).
     */
    record Repeated(int head, int[] headHandles, int stride, int minCount, int maxCount, int[] elementHandles,
                    int countDword) implements CommandLayout {

        Repeated elements(int newStride) {
            if (newStride < 1) {
                throw new IllegalArgumentException("stride " + newStride);
            }
            return new Repeated(head, headHandles, newStride, minCount, maxCount, elementHandles, countDword);
        }

        Repeated count(int min, int max) {
            return new Repeated(head, headHandles, stride, min, max, elementHandles, countDword);
        }

        /** The element count must equal head dword {@code dword}. */
        Repeated countIn(int dword) {
            if (dword < 1 || dword > head) {
                throw new IllegalArgumentException("count dword " + dword + " outside a head of " + head);
            }
            return new Repeated(head, headHandles, stride, minCount, maxCount, elementHandles, dword);
        }

        /** Positions (0-based) of resource handles inside each element. */
        Repeated handleAt(int... positions) {
            for (int p : positions) {
                if (p < 0 || p >= stride) {
                    throw new IllegalArgumentException("handle position " + p + " outside an element of " + stride);
                }
            }
            return new Repeated(head, headHandles, stride, minCount, maxCount, positions.clone(), countDword);
        }

        @Override
        public void apply(CommandPayload command) throws TranslationException {
            int rest = command.length() - head;
            if (rest < 0 || rest % stride != 0 || rest / stride < minCount || rest / stride > maxCount) {
                throw command.badLength(expected());
            }
            int count = rest / stride;
            if (countDword != 0 && command.dword(countDword) != count) {
                throw command.badLength(expected() + " with k = dword " + countDword + " ("
                        + Integer.toUnsignedString(command.dword(countDword)) + ")");
            }
            for (int h : headHandles) {
                command.rewriteHandle(h);
            }
            for (int i = 0; i < count; i++) {
                for (int p : elementHandles) {
                    command.rewriteHandle(head + i * stride + 1 + p);
                }
            }
        }

        private String expected() {
            String k = stride == 1 ? "k" : stride + "k";
            return (head == 0 ? k : head + " + " + k) + ", k in " + minCount + ".." + maxCount;
        }
    }

    /** Dispatches on the header's object type (CREATE_OBJECT, BIND_OBJECT, DESTROY_OBJECT). */
    static CommandLayout byObjectType(CommandLayout[] byType) {
        CommandLayout[] table = byType.clone();
        return command -> {
            int type = command.objectType();
            CommandLayout layout = type < table.length ? table[type] : null;
            if (layout == null) {
                throw command.unknown("no layout for object type " + type);
            }
            layout.apply(command);
        };
    }
}
