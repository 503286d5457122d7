package io.inlet.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.job.JobRecord;
import io.inlet.job.JobState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A job record as the catalog topic holds it: the key is the job id in decimal, the value JSON with the record's
 * fields, times as ISO-8601 instants and null where the record has none. Fields a later version adds are ignored.
 */
record StoredJob(long id, String db, String name, String statement, String state, String reason,
                 String createTime, String pauseTime, String endTime) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A record that is not a job; the reason never quotes the record, which may hold a statement's secrets. */
    static final class NotAJob extends Exception {
        NotAJob(String reason) {
            super(reason);
        }
    }

    static byte[] key(long id) {
        return Long.toString(id).getBytes(StandardCharsets.UTF_8);
    }

    static long id(byte[] key) throws NotAJob {
        String text = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        if (!text.matches("\\d{1,18}")) {
            throw new NotAJob("its key is not a job id");
        }
        return Long.parseLong(text);
    }

    static byte[] value(JobRecord job) {
        StoredJob stored = new StoredJob(job.id(), job.db(), job.name(), job.statement(), job.state().name(),
                job.reason(), text(job.createTime()), text(job.pauseTime()), text(job.endTime()));
        try {
            return JSON.writeValueAsBytes(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job record cannot be written as JSON", e);
        }
    }

    static JobRecord job(long key, byte[] value) throws NotAJob {
        StoredJob s;
        try {
            s = JSON.readValue(value, StoredJob.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new NotAJob("its value is not a JSON job record"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new NotAJob("its value cannot be read: " + e.getClass().getSimpleName());
        }
        if (s == null || s.id != key) {
            throw new NotAJob("its value holds job id " + (s == null ? "none" : s.id) + ", not its key's");
        }
        JobState state;
        try {
            state = JobState.valueOf(String.valueOf(s.state));
        } catch (IllegalArgumentException e) {
            throw new NotAJob("its state is not a job state");
        }
        return new JobRecord(s.id, s.db, s.name, s.statement, state, s.reason, instant(s.createTime, "createTime"),
                instant(s.pauseTime, "pauseTime"), instant(s.endTime, "endTime"));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(String text, String field) throws NotAJob {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new NotAJob("its " + field + " is not an ISO-8601 instant");
        }
    }
}
