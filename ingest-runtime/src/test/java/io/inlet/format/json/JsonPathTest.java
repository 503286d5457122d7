package io.inlet.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.format.json.JsonPath.Segment;
import org.junit.jupiter.api.Test;

class JsonPathTest {

    @Test
    void parsesTheSupportedSubset() {
        assertThat(JsonPath.parse("$").segments()).isEmpty();
        assertThat(JsonPath.parse(" $.a.b ").segments())
                .containsExactly(new Segment("a", -1), new Segment("b", -1));
        assertThat(JsonPath.parse("$.arr[0][12].x").segments()).containsExactly(new Segment("arr", -1),
                new Segment(null, 0), new Segment(null, 12), new Segment("x", -1));
        assertThat(JsonPath.parse("$['key with space'][\"a.b\"]['it\\'s']").segments())
                .containsExactly(new Segment("key with space", -1), new Segment("a.b", -1), new Segment("it's", -1));
        assertThat(JsonPath.parse("$.k1").text()).isEqualTo("$.k1");
    }

    @Test
    void rejectsWhatItDoesNotSupport() {
        for (String bad : new String[] {"", "a.b", "$.", "$..a", "$.*", "$.a[*]", "$.a[-1]", "$.a[1:2]", "$['a'",
                "$[a]", "$a", "$.a[99999999999]"}) {
            assertThatThrownBy(() -> JsonPath.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jsonpath");
        }
    }
}
