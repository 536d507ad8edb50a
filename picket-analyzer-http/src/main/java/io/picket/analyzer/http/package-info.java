/**
 * The HTTP analyzer (stage: protocol analysis): Zeek's {@code HTTP_Analyzer}, {@code MIME}
 * entity parsing and {@code ContentLine} line splitting, plus the state machine of Zeek's
 * {@code base/protocols/http} scripts that writes http.log. Registered through
 * {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider} ({@link
 * io.picket.analyzer.http.HttpProvider}). Everything runs on the shard thread that owns the
 * connection; no input makes it throw.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>limit</th><th>default</th><th>beyond it</th></tr>
 * <tr><td>bytes kept of one line</td><td>64 KiB</td><td>the rest is counted, not kept (Zeek: 16 MiB)</td></tr>
 * <tr><td>bytes kept of one (folded) header</td><td>64 KiB</td><td>the rest is dropped</td></tr>
 * <tr><td>pending http.log records</td><td>100 (Zeek's {@code HTTP::max_pending_requests})</td>
 *     <td>older ones are logged, {@code HTTP_excessive_pipelining}</td></tr>
 * <tr><td>unanswered request methods</td><td>4096</td><td>not queued (Zeek: unbounded)</td></tr>
 * <tr><td>file ids / MIME types per record and direction</td><td>15 (Zeek's {@code HTTP::max_files_*})</td>
 *     <td>not added</td></tr>
 * <tr><td>MIME sniffing buffer per file</td><td>4096 bytes ({@code default_file_bof_buffer_size})</td>
 *     <td>sniffed, then freed</td></tr>
 * <tr><td>replay buffer for DPD re-attachment</td><td>1024 bytes ({@code dpd_buffer_size})</td>
 *     <td>no re-attachment</td></tr>
 * <tr><td>pattern steps per MIME signature</td><td>200,000</td><td>counts as no match</td></tr>
 * </table>
 */
package io.picket.analyzer.http;
