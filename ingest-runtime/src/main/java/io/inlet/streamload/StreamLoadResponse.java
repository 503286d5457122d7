package io.inlet.streamload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A warehouse's answer to a Stream Load, transaction or two-phase-commit request, with the
 * documented fields (missing numbers are 0, missing strings {@code null}) and its
 * {@link #outcome() classification}.
 *
 * @param operation          what was asked: {@code stream load}, {@code begin}, {@code load},
 *                           {@code prepare}, {@code commit}, {@code rollback}, {@code 2pc commit}, {@code 2pc abort}
 * @param endpoint           the URL that answered (the BE after a redirect); never carries credentials
 * @param httpStatus         HTTP status of that answer
 * @param txnId              {@code TxnId}, or -1
 * @param label              {@code Label} (or the label that was sent)
 * @param status             {@code Status}: {@code Success}, {@code Publish Timeout}, {@code Label Already Exists},
 *                           {@code Fail}; the transaction interface's {@code OK}, {@code FAILED},
 *                           {@code LABEL_ALREADY_EXISTS}; Doris 2PC's {@code status}
 * @param message            {@code Message} (or {@code msg})
 * @param existingJobStatus  {@code ExistingJobStatus} with a used label: {@code RUNNING}, {@code FINISHED}, or Doris' {@code PRECOMMITTED}
 * @param errorUrl           {@code ErrorURL}: where the warehouse lists the rows it filtered out
 * @param twoPhaseCommit     Doris' {@code TwoPhaseCommit}: the load is pre-committed, not visible
 * @param body               the raw response body
 */
public record StreamLoadResponse(
        String operation,
        URI endpoint,
        int httpStatus,
        long txnId,
        String label,
        String status,
        String message,
        String existingJobStatus,
        long numberTotalRows,
        long numberLoadedRows,
        long numberFilteredRows,
        long numberUnselectedRows,
        long loadBytes,
        long loadTimeMs,
        String errorUrl,
        boolean twoPhaseCommit,
        String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a response means for the caller. */
    public enum Outcome {
        /** Loaded and visible (or, for a transaction step, the step succeeded). */
        SUCCESS,
        /** Committed; visibility may lag. Do not retry: the data is in. */
        PUBLISH_TIMEOUT,
        /** {@code Label Already Exists} with {@code ExistingJobStatus} FINISHED: this batch was loaded before. */
        LABEL_ALREADY_LOADED,
        /** {@code Label Already Exists} with the job still RUNNING (or prepared: Doris' PRECOMMITTED): wait, then check {@code get_load_state}. */
        LABEL_IN_PROGRESS,
        /** Too many tablet versions (or running transactions): retry later, load less often. */
        VERSION_PRESSURE,
        /** Failed; the same request may succeed later (backend trouble, timeouts). */
        FAILED_RETRYABLE,
        /** Failed; repeating the same request will fail the same way (data quality, missing table, access). */
        FAILED
    }

    /**
     * Messages of version pressure: StarRocks' {@code Too many versions. tablet_id: …,
     * version_count: …, limit: …} and {@code … because of too many versions, current/limit …};
     * Doris' {@code TOO_MANY_VERSION} (error code -235, {@code err=-235} in older releases):
     * {@code failed to init rowset builder. version count: …, exceed limit: …}; and the FE's
     * {@code current running txns on db … is …, larger than limit …}.
     */
    private static final Pattern VERSION_PRESSURE = Pattern.compile(
            "too many (tablet |pending )?versions?|(^|[^0-9])-235([^0-9]|$)"
                    + "|version count: ?\\d+, exceed limit|running txns on db .* larger than limit");

    /** Answers about a transaction that is no longer there to act on: aborted, expired or unknown. */
    private static final String TRANSACTION_GONE = "txn not exists|transcation not exist|transaction not exist"
            + "|not found transaction|transaction \\[\\d+\\] not found|is already aborted|state invalid";
    private static final Pattern TRANSACTION_GONE_PATTERN = Pattern.compile(TRANSACTION_GONE);

    /** Failures that repeating the same request cannot fix. */
    private static final Pattern PERMANENT = Pattern.compile(
            "too many filtered rows|access denied|unauthori[sz]ed|authenticat|unknown database|unknown table"
                    + "|table .*(does not exist|not found)|database .*(does not exist|not found)|unknown column"
                    + "|column .*(not found|does not exist)|invalid column|no 100-continue header|invalid json ?path"
                    + "|jsonpath.*invalid|the size of this batch exceed|label format|" + TRANSACTION_GONE
                    + "|is already (visible|committed)|no partition|data quality|parse json data failed"
                    + "|unknown data format");

    public Outcome outcome() {
        return classify(operation, status, message, existingJobStatus);
    }

    /** The batch's data is in the table or will be without further action. */
    public boolean isLoaded() {
        Outcome o = outcome();
        return o == Outcome.SUCCESS || o == Outcome.PUBLISH_TIMEOUT || o == Outcome.LABEL_ALREADY_LOADED;
    }

    /**
     * The answer says that the transaction it was about is gone (aborted by another client or a
     * timeout, or unknown): repeating the step cannot help, but loading the batch again in a new
     * transaction can.
     */
    public boolean transactionGone() {
        return TRANSACTION_GONE_PATTERN.matcher(normalized(message)).find();
    }

    /** Worth repeating later, with the same label. */
    public boolean isRetryable() {
        Outcome o = outcome();
        return o == Outcome.FAILED_RETRYABLE || o == Outcome.VERSION_PRESSURE || o == Outcome.LABEL_IN_PROGRESS;
    }

    /** Returns this response if it {@link #isLoaded() loaded}, else throws a {@link StreamLoadException} describing it. */
    public StreamLoadResponse orThrow() throws StreamLoadException {
        if (isLoaded()) {
            return this;
        }
        throw new StreamLoadException(describeFailure(), endpoint, label, httpStatus, isRetryable(), false, this);
    }

    /** A one-line account of a failed answer: operation, label, endpoint, status and the warehouse's message. */
    public String describeFailure() {
        StringBuilder sb = new StringBuilder();
        sb.append(operation).append(" of label ").append(label).append(" at ").append(endpoint)
                .append(" answered ").append(status);
        if (existingJobStatus != null) {
            sb.append(" (ExistingJobStatus ").append(existingJobStatus).append(')');
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message.strip());
        }
        if (errorUrl != null) {
            sb.append(" (ErrorURL ").append(errorUrl).append(')');
        }
        return sb.toString();
    }

    /** Classifies a status/message pair as the two warehouses document them. */
    public static Outcome classify(String operation, String status, String message, String existingJobStatus) {
        String s = status == null ? "" : status.trim().toLowerCase(Locale.ROOT).replace('_', ' ');
        String m = normalized(message);
        switch (s) {
            case "success":
            case "ok":
                return Outcome.SUCCESS;
            case "publish timeout":
                return Outcome.PUBLISH_TIMEOUT;
            case "label already exists": {
                String j = existingJobStatus == null ? "" : existingJobStatus.trim().toUpperCase(Locale.ROOT);
                return j.equals("FINISHED") || j.equals("VISIBLE") || j.equals("COMMITTED")
                        ? Outcome.LABEL_ALREADY_LOADED : Outcome.LABEL_IN_PROGRESS;
            }
            default:
                break;
        }
        if (VERSION_PRESSURE.matcher(m).find()) {
            return Outcome.VERSION_PRESSURE;
        }
        // The transaction interface answers a commit whose publish timed out with FAILED
        // "publish timeout": the transaction is committed all the same.
        if ("commit".equals(operation) && m.contains("publish timeout")) {
            return Outcome.PUBLISH_TIMEOUT;
        }
        // "Label [x] has already been used." without the structured status
        if (m.contains("has already been used")) {
            return Outcome.LABEL_IN_PROGRESS;
        }
        if (PERMANENT.matcher(m).find()) {
            return Outcome.FAILED;
        }
        return Outcome.FAILED_RETRYABLE;
    }

    private static String normalized(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * Parses a JSON answer. Keys are matched without regard to case ({@code Status} and Doris
     * 2PC's {@code status}, {@code Message} and {@code msg}).
     */
    public static StreamLoadResponse parse(String operation, URI endpoint, int httpStatus, String body,
                                           String labelSent) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, JsonNode> f = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            f.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        String status = text(f, "status");
        String message = text(f, "message");
        if (message == null || message.isEmpty()) {
            String msg = text(f, "msg");
            message = msg != null ? msg : message;
        }
        String label = text(f, "label");
        String tpc = text(f, "twophasecommit");
        return new StreamLoadResponse(operation, endpoint, httpStatus, number(f, "txnid", -1),
                label == null || label.isEmpty() ? labelSent : label, status, message,
                text(f, "existingjobstatus"),
                number(f, "numbertotalrows", 0), number(f, "numberloadedrows", 0),
                number(f, "numberfilteredrows", 0), number(f, "numberunselectedrows", 0),
                number(f, "loadbytes", 0), number(f, "loadtimems", 0), emptyToNull(text(f, "errorurl")),
                "true".equalsIgnoreCase(tpc), body);
    }

    private static String text(Map<String, JsonNode> f, String key) {
        JsonNode n = f.get(key);
        return n == null || n.isNull() ? null : (n.isValueNode() ? n.asText() : n.toString());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static long number(Map<String, JsonNode> f, String key, long dflt) {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public String toString() {
        return "StreamLoadResponse[" + operation + " label=" + label + " txnId=" + txnId + " status=" + status
                + (existingJobStatus == null ? "" : " existingJobStatus=" + existingJobStatus)
                + " outcome=" + outcome() + " total=" + numberTotalRows + " loaded=" + numberLoadedRows
                + " filtered=" + numberFilteredRows + " unselected=" + numberUnselectedRows
                + " bytes=" + loadBytes + " ms=" + loadTimeMs
                + (message == null || message.isBlank() ? "" : " message=" + message.strip())
                + (errorUrl == null ? "" : " errorUrl=" + errorUrl) + " endpoint=" + endpoint + "]";
    }
}
