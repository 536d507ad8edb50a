package io.picket.analyzer.http;

/**
 * One HTTP request or reply message (Zeek's {@code HTTP_Message}): its top-level entity, the
 * entity currently receiving data, the body length reported in {@code http_message_done}, and
 * the line splitter of its direction. Owned by the connection's shard thread.
 */
final class HttpMessage {
    final HttpAnalyzer an;
    final ContentLine cl;
    final boolean isOrig;
    final HttpEntity top;
    private HttpEntity current;
    long bodyLength;
    long headerLength;
    boolean finished;

    HttpMessage(HttpAnalyzer an, ContentLine cl, boolean isOrig, int expectBody, long initHeaderLength) {
        this.an = an;
        this.cl = cl;
        this.isOrig = isOrig;
        this.top = new HttpEntity(this, null, expectBody);
        beginEntity(top);
        this.headerLength = initHeaderLength;
    }

    void deliver(byte[] d, int off, int len, boolean crlf) {
        top.deliver(d, off, len, crlf);
    }

    void deliverLine(byte[] d, int len, long fullLen) {
        top.deliver(d, 0, len, fullLen, true);
    }

    void beginEntity(HttpEntity e) {
        current = e;
        an.evBeginEntity(isOrig);
    }

    void endEntity(HttpEntity e) {
        if (e == top) {
            bodyLength += e.bodyLength;
            headerLength += e.headerLength;
        }
        an.evEndEntity(isOrig);
        current = e.parent;
        if (e.parent != null && e.parent.contentType == HttpEntity.CT_MULTIPART) {
            cl.suppressWeirds(false);
            cl.setCrlfAsEol(true);
        }
        if (e == top) {
            done(false);
        } else if (isOrig || an.replyCode() != 206) {
            an.endFile(e.file());
        }
    }

    /** HTTP_Message::Done. */
    void done(boolean interrupted) {
        if (finished) {
            return;
        }
        finished = true;
        top.endOfData();
        if (isOrig || an.replyCode() != 206) {
            an.endFile(top.file());
        }
        an.evMessageDone(isOrig, bodyLength);
        an.messageDone(isOrig);
    }

    /** HTTP_Message::Undelivered. */
    boolean undelivered(long len) {
        HttpEntity e = current != null ? current : top;
        return e.undelivered(len);
    }

    void dispose() {
        top.dispose();
    }
}
