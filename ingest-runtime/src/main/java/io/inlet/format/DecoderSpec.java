package io.inlet.format;

import io.inlet.format.avro.AvroSchemaSource;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What a job says about its message format, as written in {@code CREATE ROUTINE LOAD}.
 *
 * @param format "json", "csv" or "avro" (case-insensitive)
 * @param sourceColumns names of the source columns (the COLUMNS list without derived columns); for CSV the
 *     number of fields of every row, for JSON without jsonpaths the keys looked up (case-insensitively)
 * @param jsonPaths nullable; JSON only: one path per column ({@code $.a}, {@code $.a.b}, {@code $.arr[0]},
 *     {@code $['key with space']}, {@code $})
 * @param jsonRoot nullable; JSON only: path of the element whose content is decoded
 * @param stripOuterArray JSON only: the (root) element is an array whose elements are rows
 * @param columnSeparator nullable (= ","); CSV only: as written in SQL, may contain escapes such as
 *     {@code \t} or {@code \x01}; up to 50 bytes of UTF-8
 * @param rowDelimiter nullable (= "\n"); CSV only: same notation as the column separator
 * @param enclose nullable; CSV only: a single byte such as {@code "}
 * @param escape nullable; CSV only: a single byte such as {@code \}
 * @param trimSpace CSV only: remove spaces around column separators outside enclosed fields
 * @param timezone the job's time zone: Avro timestamps become DATETIME values in it
 * @param avroSchemas nullable; Avro only: where the writer and reader schemas come from
 */
public record DecoderSpec(
        String format,
        List<String> sourceColumns,
        List<String> jsonPaths,
        String jsonRoot,
        boolean stripOuterArray,
        String columnSeparator,
        String rowDelimiter,
        String enclose,
        String escape,
        boolean trimSpace,
        ZoneId timezone,
        AvroSchemaSource avroSchemas) {

    /** A spec of a text format (json, csv), in UTC. */
    public DecoderSpec(String format, List<String> sourceColumns, List<String> jsonPaths, String jsonRoot,
                       boolean stripOuterArray, String columnSeparator, String rowDelimiter, String enclose,
                       String escape, boolean trimSpace) {
        this(format, sourceColumns, jsonPaths, jsonRoot, stripOuterArray, columnSeparator, rowDelimiter, enclose, escape,
                trimSpace, ZoneOffset.UTC, null);
    }
}
