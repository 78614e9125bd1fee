package io.github.virgl4j.device.protocol;

/**
 * Command codes of {@code enum virtio_gpu_ctrl_type} (virtio spec 1.2 §5.7.6.7) and the fixed
 * request size of each, header included. Cursor commands travel on the cursor queue (queue 1),
 * everything else on the control queue (queue 0).
 */
public final class GpuCommandType {
    private GpuCommandType() {
    }

    public static final int GET_DISPLAY_INFO = 0x0100;
    public static final int RESOURCE_CREATE_2D = 0x0101;
    public static final int RESOURCE_UNREF = 0x0102;
    public static final int SET_SCANOUT = 0x0103;
    public static final int RESOURCE_FLUSH = 0x0104;
    public static final int TRANSFER_TO_HOST_2D = 0x0105;
    public static final int RESOURCE_ATTACH_BACKING = 0x0106;
    public static final int RESOURCE_DETACH_BACKING = 0x0107;
    public static final int GET_CAPSET_INFO = 0x0108;
    public static final int GET_CAPSET = 0x0109;
    public static final int GET_EDID = 0x010a;
    public static final int RESOURCE_ASSIGN_UUID = 0x010b;
    public static final int RESOURCE_CREATE_BLOB = 0x010c;
    public static final int SET_SCANOUT_BLOB = 0x010d;

    public static final int CTX_CREATE = 0x0200;
    public static final int CTX_DESTROY = 0x0201;
    public static final int CTX_ATTACH_RESOURCE = 0x0202;
    public static final int CTX_DETACH_RESOURCE = 0x0203;
    public static final int RESOURCE_CREATE_3D = 0x0204;
    public static final int TRANSFER_TO_HOST_3D = 0x0205;
    public static final int TRANSFER_FROM_HOST_3D = 0x0206;
    public static final int SUBMIT_3D = 0x0207;
    public static final int RESOURCE_MAP_BLOB = 0x0208;
    public static final int RESOURCE_UNMAP_BLOB = 0x0209;

    public static final int UPDATE_CURSOR = 0x0300;
    public static final int MOVE_CURSOR = 0x0301;

    /**
     * Size in bytes of the fixed part of a request of this type, header included, or -1 for an
     * unknown type. ATTACH_BACKING and CREATE_BLOB are followed by {@code nr_entries} 16-byte
     * {@link MemEntry}s, SUBMIT_3D by {@code size} command bytes.
     */
    public static int requestSize(int type) {
        switch (type) {
            case GET_DISPLAY_INFO:
            case CTX_DESTROY:
                return 24;
            case RESOURCE_UNREF:
            case RESOURCE_ATTACH_BACKING:
            case RESOURCE_DETACH_BACKING:
            case GET_CAPSET_INFO:
            case GET_CAPSET:
            case GET_EDID:
            case RESOURCE_ASSIGN_UUID:
            case CTX_ATTACH_RESOURCE:
            case CTX_DETACH_RESOURCE:
            case SUBMIT_3D:
            case RESOURCE_UNMAP_BLOB:
                return 32;
            case RESOURCE_CREATE_2D:
            case RESOURCE_MAP_BLOB:
                return 40;
            case SET_SCANOUT:
            case RESOURCE_FLUSH:
                return 48;
            case TRANSFER_TO_HOST_2D:
            case RESOURCE_CREATE_BLOB:
            case UPDATE_CURSOR:
            case MOVE_CURSOR:
                return 56;
            case RESOURCE_CREATE_3D:
            case TRANSFER_TO_HOST_3D:
            case TRANSFER_FROM_HOST_3D:
                return 72;
            case SET_SCANOUT_BLOB:
            case CTX_CREATE:
                return 96;
            default:
                return -1;
        }
    }

    /** True for UPDATE_CURSOR and MOVE_CURSOR, which belong on the cursor queue. */
    public static boolean isCursorCommand(int type) {
        return type == UPDATE_CURSOR || type == MOVE_CURSOR;
    }

    /** The spec name without prefix (e.g. {@code "SUBMIT_3D"}), or hex for unknown codes. */
    public static String name(int type) {
        switch (type) {
            case GET_DISPLAY_INFO: return "GET_DISPLAY_INFO";
            case RESOURCE_CREATE_2D: return "RESOURCE_CREATE_2D";
            case RESOURCE_UNREF: return "RESOURCE_UNREF";
            case SET_SCANOUT: return "SET_SCANOUT";
            case RESOURCE_FLUSH: return "RESOURCE_FLUSH";
            case TRANSFER_TO_HOST_2D: return "TRANSFER_TO_HOST_2D";
            case RESOURCE_ATTACH_BACKING: return "RESOURCE_ATTACH_BACKING";
            case RESOURCE_DETACH_BACKING: return "RESOURCE_DETACH_BACKING";
            case GET_CAPSET_INFO: return "GET_CAPSET_INFO";
            case GET_CAPSET: return "GET_CAPSET";
            case GET_EDID: return "GET_EDID";
            case RESOURCE_ASSIGN_UUID: return "RESOURCE_ASSIGN_UUID";
            case RESOURCE_CREATE_BLOB: return "RESOURCE_CREATE_BLOB";
            case SET_SCANOUT_BLOB: return "SET_SCANOUT_BLOB";
            case CTX_CREATE: return "CTX_CREATE";
            case CTX_DESTROY: return "CTX_DESTROY";
            case CTX_ATTACH_RESOURCE: return "CTX_ATTACH_RESOURCE";
            case CTX_DETACH_RESOURCE: return "CTX_DETACH_RESOURCE";
            case RESOURCE_CREATE_3D: return "RESOURCE_CREATE_3D";
            case TRANSFER_TO_HOST_3D: return "TRANSFER_TO_HOST_3D";
            case TRANSFER_FROM_HOST_3D: return "TRANSFER_FROM_HOST_3D";
            case SUBMIT_3D: return "SUBMIT_3D";
            case RESOURCE_MAP_BLOB: return "RESOURCE_MAP_BLOB";
            case RESOURCE_UNMAP_BLOB: return "RESOURCE_UNMAP_BLOB";
            case UPDATE_CURSOR: return "UPDATE_CURSOR";
            case MOVE_CURSOR: return "MOVE_CURSOR";
            default: return String.format("0x%04x", type);
        }
    }
}
