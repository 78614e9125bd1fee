package io.github.virgl4j.device.protocol;

/** Response codes of {@code enum virtio_gpu_ctrl_type} (virtio spec 1.2 §5.7.6.7). */
public final class GpuResponseType {
    private GpuResponseType() {
    }

    public static final int OK_NODATA = 0x1100;
    public static final int OK_DISPLAY_INFO = 0x1101;
    public static final int OK_CAPSET_INFO = 0x1102;
    public static final int OK_CAPSET = 0x1103;
    public static final int OK_EDID = 0x1104;
    public static final int OK_RESOURCE_UUID = 0x1105;
    public static final int OK_MAP_INFO = 0x1106;

    public static final int ERR_UNSPEC = 0x1200;
    public static final int ERR_OUT_OF_MEMORY = 0x1201;
    public static final int ERR_INVALID_SCANOUT_ID = 0x1202;
    public static final int ERR_INVALID_RESOURCE_ID = 0x1203;
    public static final int ERR_INVALID_CONTEXT_ID = 0x1204;
    public static final int ERR_INVALID_PARAMETER = 0x1205;

    /** True for the 0x12xx error range. */
    public static boolean isError(int type) {
        return (type & 0xffffff00) == 0x1200;
    }
}
