package io.inlet.format.avro;

import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.testkit.AvroWire;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Confluent-framed Avro into rows: jsonpaths over nested records, unions, arrays, maps, logical types; evolution. */
class AvroDecoderTest {

    static final Schema ORDER = new Schema.Parser().parse("""
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"id","type":"long"},
              {"name":"qty","type":"int"},
              {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
              {"name":"day","type":{"type":"int","logicalType":"date"}},
              {"name":"at_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"at_us","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"ref","type":{"type":"string","logicalType":"uuid"}},
              {"name":"note","type":["null","string"],"default":null},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
              {"name":"ratio","type":"float"},
              {"name":"paid","type":"boolean"},
              {"name":"raw","type":"bytes"},
              {"name":"address","type":["null",{"type":"record","name":"Address","fields":[
                 {"name":"city","type":"string"},{"name":"zip","type":["null","string"],"default":null}]}],"default":null},
              {"name":"tags","type":{"type":"array","items":"string"}},
              {"name":"attrs","type":{"type":"map","values":"long"}}
            ]}""");

    /** Schemas by id, with a reader schema; or a registry that cannot be reached. */
    static final class Schemas implements AvroSchemaSource {
        final Map<Integer, Schema> byId = new HashMap<>();
        Schema reader;
        boolean unreachable;
        int readerLookups;

        @Override
        public Schema writer(int id) throws DecodeException {
            Schema s = byId.get(id);
            if (s == null && unreachable) {
                throw new SchemaUnavailableException("schema id " + id + " unknown and the registry is down", null);
            }
            if (s == null) {
                throw new DecodeException("Avro schema id " + id + " is not in the schema registry");
            }
            return s;
        }

        @Override
        public Schema reader(boolean refresh) {
            readerLookups++;
            return reader;
        }
    }

    static GenericRecord order() {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", 42L);
        r.put("qty", 3);
        r.put("price", ByteBuffer.wrap(new BigDecimal("19.99").unscaledValue().toByteArray()));
        r.put("day", (int) LocalDate.of(2024, 3, 1).toEpochDay());
        r.put("at_ms", 1_709_294_400_123L);
        r.put("at_us", 1_709_294_400_123_456L);
        r.put("ref", "6f1c3a52-3e0e-4a38-9d3a-0b6f4f9b1c11");
        r.put("note", null);
        r.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), "PAID"));
        r.put("ratio", 0.5f);
        r.put("paid", true);
        r.put("raw", ByteBuffer.wrap("bin".getBytes()));
        GenericRecord a = new GenericData.Record(ORDER.getField("address").schema().getTypes().get(1));
        a.put("city", "Lisbon");
        a.put("zip", "1100");
        r.put("address", a);
        r.put("tags", List.of("x", "y"));
        r.put("attrs", Map.of("color", 7L));
        return r;
    }

    static List<List<Object>> decode(Decoder d, byte[] message) throws DecodeException {
        List<List<Object>> rows = new ArrayList<>();
        d.decode(message, v -> rows.add(Arrays.asList(v.clone())));
        return rows;
    }

    static Decoder decoder(Schemas schemas, List<String> columns, List<String> paths, ZoneId zone) {
        return Decoders.create(new DecoderSpec("avro", columns, paths, null, false, null, null, null, null, false,
                zone, schemas));
    }

    @Test
    void jsonpathsReachNestedFieldsUnionsArraysMapsAndLogicalTypes() throws Exception {
        Schemas schemas = new Schemas();
        schemas.byId.put(7, ORDER);
        Decoder d = decoder(schemas, List.of("id", "qty", "price", "day", "at_ms", "at_us", "ref", "note", "status",
                "ratio", "paid", "raw", "city", "zip", "tag1", "color", "tags", "address"), List.of("$.id", "$.qty",
                "$.price", "$.day", "$.at_ms", "$.at_us", "$.ref", "$.note", "$.status", "$.ratio", "$.paid", "$.raw",
                "$.address.city", "$.address.zip", "$.tags[1]", "$.attrs.color", "$.tags", "$.address"), ZoneOffset.UTC);
        List<List<Object>> rows = decode(d, AvroWire.frame(7, order()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly(42L, 3L, new BigDecimal("19.99"), LocalDate.of(2024, 3, 1),
                LocalDateTime.of(2024, 3, 1, 12, 0, 0, 123_000_000), LocalDateTime.of(2024, 3, 1, 12, 0, 0, 123_456_000),
                UUID.fromString("6f1c3a52-3e0e-4a38-9d3a-0b6f4f9b1c11").toString(), null, "PAID", 0.5d, true, "bin",
                "Lisbon", "1100", "y", 7L, "[\"x\",\"y\"]", "{\"city\":\"Lisbon\",\"zip\":\"1100\"}");
    }

    @Test
    void timestampsAreInTheJobsTimeZoneAndColumnsMatchFieldsByName() throws Exception {
        Schemas schemas = new Schemas();
        schemas.byId.put(7, ORDER);
        Decoder d = decoder(schemas, List.of("ID", "at_ms", "missing"), null, ZoneId.of("Asia/Shanghai"));
        assertThat(decode(d, AvroWire.frame(7, order())).get(0))
                .containsExactly(42L, LocalDateTime.of(2024, 3, 1, 20, 0, 0, 123_000_000), null);
    }

    @Test
    void aFieldTheWriterLacksTakesTheReaderSchemasDefaultAndADroppedFieldStillLoads() throws Exception {
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"User","fields":[{"name":"userid","type":"string"},
                 {"name":"gender","type":"string"}]}""");
        Schema v2 = new Schema.Parser().parse("""
                {"type":"record","name":"User","fields":[{"name":"userid","type":"string"},
                 {"name":"gender","type":"string"},{"name":"level","type":"string","default":"bronze"}]}""");
        Schema v3 = new Schema.Parser().parse("""
                {"type":"record","name":"User","fields":[{"name":"userid","type":"string"},
                 {"name":"level","type":"string","default":"bronze"}]}""");
        Schemas schemas = new Schemas();
        schemas.byId.putAll(Map.of(1, v1, 2, v2, 3, v3));
        schemas.reader = v3;
        Decoder d = decoder(schemas, List.of("userid", "gender", "level"), null, ZoneOffset.UTC);
        GenericRecord r1 = new GenericData.Record(v1);
        r1.put("userid", "u1");
        r1.put("gender", "MALE");
        GenericRecord r2 = new GenericData.Record(v2);
        r2.put("userid", "u2");
        r2.put("gender", "FEMALE");
        r2.put("level", "gold");
        GenericRecord r3 = new GenericData.Record(v3);
        r3.put("userid", "u3");
        r3.put("level", "silver");
        assertThat(decode(d, AvroWire.frame(1, r1)).get(0)).containsExactly("u1", "MALE", "bronze");
        assertThat(decode(d, AvroWire.frame(2, r2)).get(0)).containsExactly("u2", "FEMALE", "gold");
        assertThat(decode(d, AvroWire.frame(3, r3)).get(0)).containsExactly("u3", null, "silver");
    }

    @Test
    void malformedMessagesAreDecodeErrorsThatSayWhatIsWrong() {
        Schemas schemas = new Schemas();
        schemas.byId.put(7, ORDER);
        Decoder d = decoder(schemas, List.of("id"), null, ZoneOffset.UTC);
        assertThatThrownBy(() -> decode(d, "{\"id\":1}".getBytes())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("the first byte is 0x7b, expected the magic byte 0x00");
        assertThatThrownBy(() -> decode(d, new byte[]{0, 0, 0})).isInstanceOf(DecodeException.class)
                .hasMessageContaining("3 bytes, fewer than the 5 of its header");
        byte[] whole = AvroWire.frame(7, order());
        assertThatThrownBy(() -> decode(d, Arrays.copyOf(whole, whole.length - 6))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("malformed Avro message of schema id 7");
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);
        assertThatThrownBy(() -> decode(d, longer)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("bytes left after the record");
        assertThatThrownBy(() -> decode(d, AvroWire.frame(99, order()))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("schema id 99 is not in the schema registry");
    }

    @Test
    void anUnknownIdWhileTheRegistryIsDownIsNotABadMessageButKnownIdsKeepDecoding() throws Exception {
        Schemas schemas = new Schemas();
        schemas.byId.put(7, ORDER);
        Decoder d = decoder(schemas, List.of("id"), null, ZoneOffset.UTC);
        assertThat(decode(d, AvroWire.frame(7, order()))).hasSize(1);
        schemas.unreachable = true;
        assertThat(decode(d, AvroWire.frame(7, order()))).hasSize(1);
        assertThatThrownBy(() -> decode(d, AvroWire.frame(8, order()))).isInstanceOf(SchemaUnavailableException.class)
                .hasMessageContaining("schema id 8");
    }

    @Test
    void theReaderSchemaIsAskedForAgainOnlyForANewWriterSchema() throws Exception {
        Schemas schemas = new Schemas();
        schemas.byId.put(7, ORDER);
        Decoder d = decoder(schemas, List.of("id"), null, ZoneOffset.UTC);
        for (int i = 0; i < 100; i++) {
            decode(d, AvroWire.frame(7, order()));
        }
        assertThat(schemas.readerLookups).isEqualTo(1);
    }
}
