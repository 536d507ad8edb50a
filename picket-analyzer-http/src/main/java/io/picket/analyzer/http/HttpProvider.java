package io.picket.analyzer.http;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * Declares Zeek's HTTP analyzer: service {@code http} on TCP, the ports of
 * {@code base/protocols/http/main.zeek}, the DPD signatures of {@code dpd.sig}, and http.log.
 * Stateless; shared by all shard threads.
 */
public final class HttpProvider implements AnalyzerProvider {
    static {
        // the file-magic signatures are loaded when the run loads its analyzers, and their DFAs
        // (about half a second to build) start building beside the run then, not on the shard
        // thread that sniffs the first body
        FileMagic.standard();
    }

    /** Zeek's {@code HTTP::ports}. */
    public static final Set<Integer> PORTS = Set.of(80, 81, 631, 1080, 3128, 8000, 8080, 8888);

    /** Every weird name the analyzer (and Zeek's HTTP scripts) may raise. */
    public static final List<String> WEIRDS = List.of(
            "bad_HTTP_request", "bad_HTTP_request_with_version", "missing_HTTP_uri",
            "lowercase_HTTP_keyword", "unknown_HTTP_method", "invalid_http_09_request_method",
            "http_09_reply_before_request", "unexpected_multiple_HTTP_requests", "empty_http_request",
            "HTTP_version_mismatch", "HTTP_overlapping_messages", "unexpected_client_HTTP_data",
            "unexpected_server_HTTP_data", "http_no_crlf_in_header_list", "HTTP_obsolete_line_folding",
            "HTTP_bad_chunk_size", "HTTP_bad_content_length", "HTTP_content_length_leading_zeros",
            "HTTP_content_length_and_chunked", "HTTP_content_length_0_and_expect_100_cont",
            "HTTP_expect_not_100_continue", "HTTP_chunked_multi", "HTTP_nested_transfer_encoding_header",
            "HTTP_chunked_transfer_for_multipart_message", "HTTP_range_not_matching_len",
            "HTTP_content_range_and_chunked", "HTTP_content_range_unknown_byte_unit",
            "HTTP_content_range_cannot_parse", "HTTP_content_range_invalid",
            "HTTP_non_positive_content_range", "HTTP_content_range_overflow",
            "HTTP_content_range_invalid_instance", "protocol_data_with_HTTP_CONNECT_reply",
            "protocol_data_with_HTTP_upgrade_reply", "illegal_%_at_end_of_URI",
            "partial_escape_at_end_of_URI", "double_%_in_URI", "unescaped_%_in_URI",
            "line_terminated_with_single_CR", "line_terminated_with_single_LF",
            "line_terminated_without_CRLF", "inflate_failed", "base64_illegal_encoding",
            "HTTP_response_before_request", "HTTP_excessive_pipelining");

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return PORTS;
    }

    @Override
    public Detector newDetector() {
        return new HttpDetector();
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new HttpAnalyzer(context);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(HttpLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
