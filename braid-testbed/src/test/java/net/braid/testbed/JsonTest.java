package net.braid.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void readsNestedValues() {
        Object root = Json.parse(" {\"a\": {\"b\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"y\\u00e9\\n\"}, \"e\": {}} ");
        assertThat((List<Object>) Json.at(root, "a", "b").orElseThrow()).containsExactly(1.0, -2500.0, true, false, null);
        assertThat(Json.string(root, "a", "s")).contains("x\"y\u00e9\n");
        assertThat(Json.at(root, "e")).contains(Map.of());
        assertThat(Json.at(root, "a", "missing")).isEmpty();
        assertThat(Json.number(root, "a", "s")).isEmpty();
    }

    @Test
    void rejectsBrokenInput() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1, 2] x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("\"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("tru")).isInstanceOf(IllegalArgumentException.class);
    }
}
