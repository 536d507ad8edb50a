package io.picket.policy.intel;

/**
 * Zeek's {@code Intel::Where}: {@code IN_ANYWHERE} and the locations of
 * policy/frameworks/intel/seen/where-locations.zeek.
 */
public enum IntelWhere {
    IN_ANYWHERE("Intel::IN_ANYWHERE"),
    CONN_IN_ORIG("Conn::IN_ORIG"),
    CONN_IN_RESP("Conn::IN_RESP"),
    FILES_IN_HASH("Files::IN_HASH"),
    FILES_IN_NAME("Files::IN_NAME"),
    DNS_IN_REQUEST("DNS::IN_REQUEST"),
    DNS_IN_RESPONSE("DNS::IN_RESPONSE"),
    HTTP_IN_HOST_HEADER("HTTP::IN_HOST_HEADER"),
    HTTP_IN_REFERRER_HEADER("HTTP::IN_REFERRER_HEADER"),
    HTTP_IN_USER_AGENT_HEADER("HTTP::IN_USER_AGENT_HEADER"),
    HTTP_IN_X_FORWARDED_FOR_HEADER("HTTP::IN_X_FORWARDED_FOR_HEADER"),
    HTTP_IN_URL("HTTP::IN_URL"),
    SMTP_IN_MAIL_FROM("SMTP::IN_MAIL_FROM"),
    SMTP_IN_RCPT_TO("SMTP::IN_RCPT_TO"),
    SMTP_IN_FROM("SMTP::IN_FROM"),
    SMTP_IN_TO("SMTP::IN_TO"),
    SMTP_IN_CC("SMTP::IN_CC"),
    SMTP_IN_RECEIVED_HEADER("SMTP::IN_RECEIVED_HEADER"),
    SMTP_IN_REPLY_TO("SMTP::IN_REPLY_TO"),
    SMTP_IN_X_ORIGINATING_IP_HEADER("SMTP::IN_X_ORIGINATING_IP_HEADER"),
    SMTP_IN_MESSAGE("SMTP::IN_MESSAGE"),
    SSH_IN_SERVER_HOST_KEY("SSH::IN_SERVER_HOST_KEY"),
    SSL_IN_SERVER_NAME("SSL::IN_SERVER_NAME"),
    SMTP_IN_HEADER("SMTP::IN_HEADER"),
    X509_IN_CERT("X509::IN_CERT"),
    SMB_IN_FILE_NAME("SMB::IN_FILE_NAME");

    private final String zeekName;

    IntelWhere(String zeekName) {
        this.zeekName = zeekName;
    }

    /** The name as Zeek writes it, e.g. {@code DNS::IN_REQUEST}. */
    public String zeekName() {
        return zeekName;
    }

    /** The location for a Zeek enum name, or null. */
    public static IntelWhere fromZeek(String s) {
        for (IntelWhere w : values()) {
            if (w.zeekName.equals(s)) {
                return w;
            }
        }
        return null;
    }
}
