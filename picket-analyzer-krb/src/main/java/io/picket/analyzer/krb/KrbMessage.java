package io.picket.analyzer.krb;

import java.util.ArrayList;
import java.util.List;

/**
 * One decoded Kerberos message: the fields Zeek's KRB events carry ({@code KRB::KDC_Request},
 * {@code KRB::KDC_Response}, {@code KRB::Error_Msg}) and the PKINIT certificates its pre-auth data
 * hands to the file framework. Built by {@link KrbParser} on the shard thread, per message.
 */
final class KrbMessage {
    /** Application tag: 10 AS-REQ, 11 AS-REP, 12 TGS-REQ, 13 TGS-REP, 14 AP-REQ, ..., 30 KRB-ERROR. */
    int type;

    // KDC-REQ body
    boolean hasOptions;
    boolean forwardable;
    boolean renewable;
    byte[] clientName;
    byte[] realm;
    byte[] serviceName;
    Double from;
    Double till;

    // KDC-REP
    byte[] clientRealm;
    boolean hasTicket;
    byte[] ticketServiceName;
    long ticketCipher;

    // KRB-ERROR (clientName, clientRealm, serviceName shared)
    long errorCode;
    byte[] errorText;

    /** PKINIT certificates in pre-auth order: {@link PkCert}. */
    final List<PkCert> certs = new ArrayList<>(0);

    /**
     * A PA-PK-AS-REQ (is_orig T) or PA-PK-AS-REP (is_orig F) certificate: the bytes Zeek hands to
     * the file framework ({@code off}, {@code len}) and the first certificate's DER in them
     * ({@code certOff}, {@code certLen}; {@code certLen} 0 when there is none).
     */
    record PkCert(boolean isOrig, int off, int len, int certOff, int certLen) {
    }
}
