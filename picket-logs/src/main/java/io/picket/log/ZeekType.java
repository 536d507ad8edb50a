package io.picket.log;

/**
 * Zeek's log value types, with the type name Zeek writes in the {@code #types} header.
 *
 * <p>Java representation of a value in a {@link LogRecord} (null is always "unset"):
 * <ul>
 *   <li>TIME, INTERVAL, DOUBLE: {@link Double} (seconds for time/interval)</li>
 *   <li>COUNT, INT: {@link Long}; PORT: {@link Integer} or {@link Long}</li>
 *   <li>BOOL: {@link Boolean}</li>
 *   <li>STRING, ENUM, ADDR, SUBNET: {@link String} (addresses already in Zeek's text form)</li>
 *   <li>STRING values may also be {@code byte[]} for raw protocol bytes that need escaping</li>
 *   <li>SET_*, VECTOR_*: {@link java.util.Collection} of the element representation</li>
 * </ul>
 */
public enum ZeekType {
    TIME("time"),
    INTERVAL("interval"),
    STRING("string"),
    ADDR("addr"),
    SUBNET("subnet"),
    PORT("port"),
    ENUM("enum"),
    COUNT("count"),
    INT("int"),
    DOUBLE("double"),
    BOOL("bool"),
    SET_STRING("set[string]"),
    SET_ADDR("set[addr]"),
    SET_ENUM("set[enum]"),
    SET_COUNT("set[count]"),
    VECTOR_STRING("vector[string]"),
    VECTOR_ADDR("vector[addr]"),
    VECTOR_COUNT("vector[count]"),
    VECTOR_INTERVAL("vector[interval]"),
    VECTOR_DOUBLE("vector[double]");

    private final String zeekName;

    ZeekType(String zeekName) {
        this.zeekName = zeekName;
    }

    /** Name as written in the {@code #types} line. */
    public String zeekName() {
        return zeekName;
    }

    public boolean isContainer() {
        return zeekName.startsWith("set[") || zeekName.startsWith("vector[");
    }

    /** Element type of a container type; the type itself otherwise. */
    public ZeekType elementType() {
        return switch (this) {
            case SET_STRING, VECTOR_STRING -> STRING;
            case SET_ADDR, VECTOR_ADDR -> ADDR;
            case SET_ENUM -> ENUM;
            case SET_COUNT, VECTOR_COUNT -> COUNT;
            case VECTOR_INTERVAL -> INTERVAL;
            case VECTOR_DOUBLE -> DOUBLE;
            default -> this;
        };
    }
}
